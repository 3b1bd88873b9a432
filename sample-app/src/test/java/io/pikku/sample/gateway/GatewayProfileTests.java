package io.pikku.sample.gateway;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.gateway.emulator.GatewayEmulator;
import io.pikku.gatewaytest.HttpPublisher;
import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.sample.echo.EchoChannelConfiguration;
import io.pikku.test.TestRedis;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample under the {@code gateway} profile: two instances on one real Redis behind
 * the API Gateway emulator, which spreads every integration call over them in turn, and
 * the real AWS SDK client posting to the emulator. The sample app contract's scenarios
 * run over real sockets; no instance keeps a connection.
 */
class GatewayProfileTests {

	private static final String SECRET = "sample-gateway-secret-for-tests";

	private static final HttpClient http = HttpClient.newHttpClient();

	private static TestRedis redis;

	private static GatewayEmulator emulator;

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startRedisTheEmulatorAndTwoInstances() {
		System.setProperty("aws.accessKeyId", "test");
		System.setProperty("aws.secretAccessKey", "test");
		redis = TestRedis.start();
		emulator = GatewayEmulator.start(Map.of(), SECRET);
		instances.add(start());
		instances.add(start());
	}

	@AfterAll
	static void stopEverything() {
		instances.forEach(ConfigurableApplicationContext::close);
		if (emulator != null) {
			emulator.close();
		}
		if (redis != null) {
			redis.close();
		}
		System.clearProperty("aws.accessKeyId");
		System.clearProperty("aws.secretAccessKey");
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SampleApplication.class, HttpPublisher.class).profiles("gateway")
			.run("--server.port=0", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--pikku.gateway.secret=" + SECRET,
					"--PIKKU_GATEWAY_URL=http://127.0.0.1:" + emulator.port());
	}

	private static int port(ConfigurableApplicationContext instance) {
		return instance.getEnvironment().getProperty("local.server.port", Integer.class);
	}

	@BeforeEach
	void spreadCallsOverEveryInstance() {
		route();
		emulator.disconnectMode(GatewayEmulator.DisconnectMode.ONCE);
	}

	private static void route() {
		for (String api : List.of("echo", "chat", "todos")) {
			emulator.backends(api,
					instances.stream()
						.map((instance) -> URI.create("http://127.0.0.1:" + port(instance) + "/pikku/gateway/" + api))
						.toList());
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private WebSocketTestClient connect(String api, String query, Map<String, String> headers) {
		WebSocketTestClient client = WebSocketTestClient.connect(emulator.webSocketUri(api) + query, headers);
		this.clients.add(client);
		return client;
	}

	private WebSocketTestClient connect(String api, String query) {
		return connect(api, query, Map.of());
	}

	private int refusal(String api, String query) {
		try {
			connect(api, query);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
		throw new AssertionError("The connection was not refused");
	}

	private static String token(String user) {
		return SampleLogin.token(port(instances.get(0)), user);
	}

	private static String code(JsonNode frame) {
		return frame.path("error").path("code").asString();
	}

	@Test
	void echo() throws InterruptedException {
		WebSocketTestClient echo = connect("echo", "");
		assertThat(echo.call("{\"action\":\"echo\",\"text\":\"hello\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"text\":\"hello\"}");
		String text = "é".repeat(10_000);
		assertThat(echo.call("{\"action\":\"echo\",\"text\":\"" + text + "\"}").path("text").asString())
			.isEqualTo(text);
		echo.send("{\"n\":12345678901234567890.5}");
		assertThat(echo.receiveText()).isEqualTo("{\"n\":12345678901234567890.5}");
		assertThat(echo.call("{\"action\":\"subscribe\",\"topic\":\"room:general\"}").path("subscribed").asBoolean())
			.isTrue();
		echo.send("{\"action\":\"publish\",\"topic\":\"room:general\",\"payload\":{\"n\":1}}");
		assertThat(echo.receiveText()).isEqualTo("{\"topic\":\"room:general\",\"n\":1}");
		assertThat(echo.receive().path("published").asBoolean()).isTrue();
		assertThat(
				echo.call("{\"action\":\"unsubscribe\",\"topic\":\"room:general\"}").path("unsubscribed").asBoolean())
			.isTrue();
		echo.send("{\"action\":\"publish\",\"topic\":\"room:general\",\"payload\":{\"n\":2}}");
		assertThat(echo.receive().path("published").asBoolean()).isTrue();
		echo.assertNoMessage(Duration.ofMillis(300));
	}

	@Test
	void everyBadInputOfTheStatefulSuiteThatAppliesIsAnsweredInTheErrorShape() {
		WebSocketTestClient echo = connect("echo", "");
		assertThat(code(echo.call("{\"action\":"))).isEqualTo("invalid_json");
		JsonNode unknown = echo.call("{\"action\":\"nope\",\"correlationId\":\"c1\"}");
		assertThat(code(unknown)).isEqualTo("unknown_action");
		assertThat(unknown.path("action").asString()).isEqualTo("nope");
		assertThat(unknown.path("correlationId").asString()).isEqualTo("c1");
		assertThat(code(echo.call("{\"action\":\"echo\",\"text\":\"\"}"))).isEqualTo("validation_failed");
		assertThat(code(echo.call("{\"action\":\"echo\",\"text\":\"" + "x".repeat(10_001) + "\"}")))
			.isEqualTo("validation_failed");
		assertThat(code(echo.call("{\"action\":\"echo\",\"text\":123}"))).isEqualTo("validation_failed");
		assertThat(code(echo.call("{\"action\":\"echo\",\"text\":\"a\",\"correlationId\":{}}")))
			.isEqualTo("validation_failed");
		echo.sendBinary(new byte[] { 1, 2 });
		assertThat(code(echo.receive())).isEqualTo("unsupported_frame");
		WebSocketTestClient todos = connect("todos", "");
		assertThat(code(todos.call("{\"action\":\"list\"}"))).isEqualTo("unauthorized");
		assertThat(code(todos.call("{\"action\":\"auth\",\"token\":\"not-a-token\"}"))).isEqualTo("unauthorized");
		assertThat(echo.call("{\"action\":\"echo\",\"text\":\"still open\"}").path("text").asString())
			.isEqualTo("still open");
	}

	@Test
	void chatWithTheRoomFromTheQueryAuthAtConnectAndInBand() throws InterruptedException {
		String room = "room-" + System.nanoTime();
		WebSocketTestClient alice = connect("chat", "?room=" + room + "&access_token=" + token("alice"));
		assertThat(alice.receive().path("welcome").asString()).isEqualTo("Welcome to " + room + "!");
		WebSocketTestClient bob = connect("chat", "?room=" + room, Map.of("Authorization", "Bearer " + token("bob")));
		assertThat(bob.receive().path("welcome").asString()).isEqualTo("Welcome to " + room + "!");
		WebSocketTestClient guest = connect("chat", "?room=" + room + "&name=guest");
		guest.receive();
		assertThat(code(guest.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}"))).isEqualTo("unauthorized");
		assertThat(guest.call("{\"action\":\"authenticate\",\"token\":\"" + token("admin") + "\"}")
			.path("userId")
			.asString()).isEqualTo("admin");
		JsonNode sent = alice.call("{\"action\":\"sendMessage\",\"message\":\"hello room\"}");
		assertThat(sent.path("userId").asString()).isEqualTo("alice");
		assertThat(sent.path("timestamp").isNumber()).isTrue();
		for (WebSocketTestClient other : List.of(bob, guest)) {
			JsonNode delivery = other.receive();
			assertThat(delivery.path("topic").asString()).isEqualTo("room:" + room);
			assertThat(delivery.path("type").asString()).isEqualTo("message");
			assertThat(delivery.path("message").asString()).isEqualTo("hello room");
		}
		alice.assertNoMessage(Duration.ofMillis(300));
		assertThat(bob.call("{\"action\":\"who\"}").path("users").toString())
			.isEqualTo("[\"admin\",\"alice\",\"bob\"]");
		assertThat(guest.call("{\"action\":\"logout\"}").path("loggedOut").asBoolean()).isTrue();
		assertThat(code(guest.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}"))).isEqualTo("unauthorized");
		assertThat(refusal("chat", "?room=Not_Valid!")).isEqualTo(400);
		assertThat(refusal("chat", "?room=" + room + "&access_token=bad-token")).isEqualTo(401);
	}

	@Test
	void aBadTokenAtConnectIsRefusedInTheErrorShape() throws Exception {
		HttpResponse<String> refused = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port(instances.get(0))
					+ "/pikku/gateway/chat/connect?room=general&access_token=bad-token"))
			.header("X-Pikku-Gateway-Secret", SECRET)
			.header("X-Pikku-Connection-Id", "abc=")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body())
			.isEqualTo("{\"error\":{\"code\":\"unauthorized\",\"message\":\"The credential was refused\"}}");
	}

	@Test
	void todosWithPermissionsAndDeliveriesToEverySubscriber() {
		WebSocketTestClient alice = connect("todos", "", Map.of("Authorization", "Bearer " + token("alice")));
		assertThat(alice.call("{\"action\":\"subscribe\"}").path("subscribed").asBoolean()).isTrue();
		WebSocketTestClient bob = connect("todos", "");
		assertThat(
				bob.call("{\"action\":\"auth\",\"token\":\"" + token("bob") + "\"}").path("authenticated").asBoolean())
			.isTrue();
		JsonNode created = bob.call("{\"action\":\"create\",\"text\":\"Buy milk\"}").path("todo");
		assertThat(created.path("owner").asString()).isEqualTo("bob");
		JsonNode event = alice.receive();
		assertThat(event.path("topic").asString()).isEqualTo("todos:updated");
		assertThat(event.path("event").asString()).isEqualTo("created");
		String id = created.path("id").asString();
		assertThat(alice.call("{\"action\":\"list\"}").path("todos").toString()).contains(id);
		assertThat(code(bob.call("{\"action\":\"complete\",\"id\":\"00000000-0000-0000-0000-000000000000\"}")))
			.isEqualTo("not_found");
		assertThat(
				bob.call("{\"action\":\"complete\",\"id\":\"" + id + "\"}").path("todo").path("completed").asBoolean())
			.isTrue();
		assertThat(alice.receive().path("event").asString()).isEqualTo("completed");
		assertThat(code(bob.call("{\"action\":\"clear\"}"))).isEqualTo("forbidden");
		WebSocketTestClient admin = connect("todos", "?access_token=" + token("admin"));
		assertThat(admin.call("{\"action\":\"clear\"}").path("cleared").asLong()).isPositive();
	}

	@Test
	void aPublishFromAnHttpControllerReachesSubscribers() throws Exception {
		WebSocketTestClient alice = connect("todos", "", Map.of("Authorization", "Bearer " + token("alice")));
		alice.call("{\"action\":\"subscribe\"}");
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port(instances.get(1)) + "/test/publish?topic="
					+ URLEncoder.encode("todos:updated", StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token("admin"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"announcement\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(alice.receiveText()).isEqualTo("{\"topic\":\"todos:updated\",\"event\":\"announcement\"}");
	}

	@Test
	void aRestartMidConversationLosesNothing() {
		String room = "restart-" + System.nanoTime();
		WebSocketTestClient alice = connect("chat", "?room=" + room);
		alice.receive();
		alice.call("{\"action\":\"authenticate\",\"token\":\"" + token("alice") + "\"}");
		ConfigurableApplicationContext stopped = instances.remove(1);
		stopped.close();
		route();
		assertThat(alice.call("{\"action\":\"who\"}").path("users").toString()).isEqualTo("[\"alice\"]");
		instances.add(start());
		route();
		for (int i = 0; i < 4; i++) {
			assertThat(alice.call("{\"action\":\"sendMessage\",\"message\":\"m" + i + "\"}").path("userId").asString())
				.isEqualTo("alice");
		}
	}

	@Test
	void aGoneConnectionIsCleanedFromEveryTopic() {
		emulator.disconnectMode(GatewayEmulator.DisconnectMode.DROPPED);
		WebSocketTestClient gone = connect("echo", "");
		gone.call("{\"action\":\"subscribe\",\"topic\":\"g1\"}");
		gone.call("{\"action\":\"subscribe\",\"topic\":\"g2\"}");
		WebSocketTestClient publisher = connect("echo", "");
		EventHub topics = instances.get(0).getBean(EventHub.class).scope(EchoChannelConfiguration.TOPIC_SCOPE);
		String goneId = join(topics.subscribers("g2")).get(0).channelId();
		gone.close();
		this.clients.remove(gone);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> emulator.log().contains("$disconnect " + goneId.substring("echo:".length()) + " 0"));
		assertThat(
				publisher.call("{\"action\":\"publish\",\"topic\":\"g1\",\"payload\":1}").path("published").asBoolean())
			.isTrue();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(join(topics.subscribers("g1"))).extracting(TopicSubscriber::channelId).doesNotContain(goneId);
			assertThat(join(topics.subscribers("g2"))).extracting(TopicSubscriber::channelId).doesNotContain(goneId);
		});
		StatelessChannelRuntime runtime = instances.get(0).getBean(StatelessChannelRuntime.class);
		assertThat(join(runtime.channelStore().get(goneId))).isEmpty();
	}

	@Test
	void aDuplicatedDisconnectIsQuiet() {
		emulator.disconnectMode(GatewayEmulator.DisconnectMode.TWICE);
		WebSocketTestClient echo = connect("echo", "");
		echo.call("{\"action\":\"subscribe\",\"topic\":\"twice\"}");
		EventHub topics = instances.get(0).getBean(EventHub.class).scope(EchoChannelConfiguration.TOPIC_SCOPE);
		String id = join(topics.subscribers("twice")).get(0).channelId();
		echo.close();
		String connectionId = id.substring("echo:".length());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> emulator.log().stream().filter(("$disconnect " + connectionId + " 200")::equals).count() == 2);
		assertThat(join(topics.subscribers("twice"))).isEmpty();
		StatelessChannelRuntime runtime = instances.get(0).getBean(StatelessChannelRuntime.class);
		assertThat(join(runtime.channelStore().get(id))).isEmpty();
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
	}

}
