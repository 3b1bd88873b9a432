package io.pikku.eventhub.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.pikku.test.TestRedis;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * An instance that dies without cleaning up (a second JVM killed with SIGKILL): what it
 * left in Redis expires after {@code pikku.instance-ttl}, and presence on the surviving
 * instance drops its users.
 */
class CrashedInstanceIntegrationTests {

	private static final Duration INSTANCE_TTL = Duration.ofSeconds(3);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration EXPIRY_TIMEOUT = Duration.ofSeconds(20);

	private static final String CHANNEL_KEYS = "pikku:channel:*";

	private static TestRedis redis;

	private static ConfigurableApplicationContext instanceA;

	private static Process instanceB;

	private static Path instanceBLog;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate template;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startRedisAndInstanceA() {
		redis = TestRedis.start();
		instanceA = SecondInstance.run(arguments(0));
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		template = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopEverything() throws InterruptedException {
		try {
			if (instanceB != null && instanceB.isAlive()) {
				instanceB.toHandle().destroyForcibly();
				instanceB.waitFor(30, TimeUnit.SECONDS);
			}
		}
		finally {
			try {
				if (connectionFactory != null) {
					connectionFactory.destroy();
				}
				if (instanceA != null) {
					instanceA.close();
				}
			}
			finally {
				if (redis != null) {
					redis.close();
				}
			}
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void whatAKilledInstanceLeftInRedisExpiresAndPresenceDropsItsUsers() throws Exception {
		int portB = freePort();
		instanceB = startSecondJvm(portB);
		awaitPort(instanceB, portB);

		String room = "crash-room";
		WebSocketTestClient alice = join(port(instanceA), room, "alice");
		WebSocketTestClient bob = join(portB, room, "bob");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(who(alice)).containsExactly("alice", "bob"));
		assertThat(who(bob)).containsExactly("alice", "bob");

		Map<String, String> keysByUser = channelKeysByUser();
		assertThat(keysByUser).containsOnlyKeys("alice", "bob");
		String aliceKey = keysByUser.get("alice");
		String bobKey = keysByUser.get("bob");
		Long bobTtl = template.getExpire(bobKey, TimeUnit.MILLISECONDS);
		assertThat(bobTtl).as("TTL of bob's record while B is alive").isPositive().isLessThanOrEqualTo(3000);
		String topicKey = new RedisKeys("pikku:").topicMembers("room:" + room);
		assertThat(template.opsForSet().members(topicKey)).containsExactlyInAnyOrder(channelId(aliceKey),
				channelId(bobKey));

		long pid = instanceB.pid();
		assertThat(instanceB.toHandle().destroyForcibly()).as("SIGKILL sent to instance B (pid %d)", pid).isTrue();
		assertThat(instanceB.waitFor(30, TimeUnit.SECONDS)).as("instance B is dead").isTrue();
		long killed = System.nanoTime();
		assertThat(instanceB.isAlive()).isFalse();
		assertThat(instanceB.exitValue()).as("exit status of a JVM killed by SIGKILL (128 + 9)").isEqualTo(137);

		List<String> rightAfterKill = who(alice);
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.atMost(EXPIRY_TIMEOUT)
			.until(() -> who(alice), (users) -> users.equals(List.of("alice")));
		long expiryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
		System.out.println("Presence dropped the killed instance's user after an expiry time of " + expiryMillis
				+ " ms (pikku.instance-ttl=" + INSTANCE_TTL.toMillis() + " ms, bob's record TTL before the kill "
				+ bobTtl + " ms, who right after the kill: " + rightAfterKill + ")");
		assertThat(expiryMillis).as("it is the expiry that removes bob, not a graceful close").isGreaterThan(500);

		await().atMost(EXPIRY_TIMEOUT).untilAsserted(() -> {
			assertThat(template.hasKey(bobKey)).as("bob's record " + bobKey).isFalse();
			assertThat(template.keys(CHANNEL_KEYS)).containsExactly(aliceKey);
		});
		assertThat(template.opsForHash().get(aliceKey, "userId")).isEqualTo("alice");
		assertThat(template.getExpire(aliceKey, TimeUnit.MILLISECONDS)).as("alice's record is still refreshed")
			.isPositive();
		assertThat(template.opsForSet().members(topicKey)).containsExactly(channelId(aliceKey));
		assertThat(who(alice)).containsExactly("alice");
	}

	private static String[] arguments(int port) {
		return new String[] { "--server.port=" + port, "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--pikku.instance-ttl=" + INSTANCE_TTL.toSeconds() + "s" };
	}

	private static Process startSecondJvm(int port) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(java, "-cp", System.getProperty("java.class.path"), SecondInstance.class.getName()));
		command.addAll(List.of(arguments(port)));
		Path target = Path.of("target");
		Files.createDirectories(target);
		instanceBLog = target.resolve("crashed-instance-b.log").toAbsolutePath();
		File log = instanceBLog.toFile();
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log))
			.start();
	}

	private static void awaitPort(Process process, int port) throws InterruptedException {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				fail("Instance B exited with " + process.exitValue() + " before listening on port " + port + ":\n"
						+ instanceBOutput());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException ex) {
				Thread.sleep(250);
			}
		}
		fail("Instance B did not listen on port " + port + " within " + STARTUP_TIMEOUT + ":\n" + instanceBOutput());
	}

	private static String instanceBOutput() {
		try {
			return Files.readString(instanceBLog, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log at " + instanceBLog + ": " + ex + ")";
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int port(ConfigurableApplicationContext instance) {
		return ((ServletWebServerApplicationContext) instance).getWebServer().getPort();
	}

	private WebSocketTestClient join(int port, String room, String user) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + port + "/room/" + room);
		this.clients.add(client);
		assertThat(client.receive().toString()).isEqualTo("{\"joined\":\"" + room + "\"}");
		assertThat(client.call("{\"action\":\"login\",\"user\":\"" + user + "\"}").toString())
			.isEqualTo("{\"action\":\"login\",\"user\":\"" + user + "\"}");
		return client;
	}

	private static List<String> who(WebSocketTestClient client) {
		JsonNode reply = client.call("{\"action\":\"who\"}");
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo("who");
		List<String> users = new ArrayList<>();
		reply.path("users").forEach((user) -> users.add(user.stringValue()));
		return users;
	}

	private static Map<String, String> channelKeysByUser() {
		Set<String> keys = template.keys(CHANNEL_KEYS);
		Map<String, String> byUser = new HashMap<>();
		for (String key : keys) {
			Object user = template.opsForHash().get(key, "userId");
			assertThat(byUser.put(String.valueOf(user), key)).as("one record for " + user).isNull();
		}
		return byUser;
	}

	private static String channelId(String channelKey) {
		return channelKey.substring("pikku:channel:".length());
	}

}
