package io.pikku.sample.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.gateway.emulator.GatewayEmulator;
import io.pikku.gatewaytest.HttpPublisher;
import io.pikku.sample.SampleApplication;
import io.pikku.test.EmbeddedRedis;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures what one message costs behind the gateway (Redis commands, management-API
 * posts, time per round trip) next to the stateful servlet transport on the same machine,
 * for the README. Not a test: it asserts nothing, prints its figures, and runs only when
 * asked:
 * {@code ./mvnw -pl sample-app -am verify -Dtest=GatewayCostMeasurement -Dsurefire.failIfNoSpecifiedTests=false -Dpikku.measure=true}.
 */
class GatewayCostMeasurement {

	private static final String SECRET = "sample-gateway-secret-for-tests";

	@Test
	@EnabledIfSystemProperty(named = "pikku.measure", matches = "true")
	void measure() {
		int messages = Integer.getInteger("pikku.measure.messages", 2000);
		System.setProperty("aws.accessKeyId", "test");
		System.setProperty("aws.secretAccessKey", "test");
		// the embedded binary on loopback, where the README's figures were measured
		try (EmbeddedRedis redis = EmbeddedRedis.start();
				GatewayEmulator emulator = GatewayEmulator.start(Map.of(), SECRET)) {
			ConfigurableApplicationContext gateway = new SpringApplicationBuilder(SampleApplication.class,
					HttpPublisher.class)
				.profiles("gateway")
				.run("--server.port=0", "--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.port(), "--pikku.gateway.secret=" + SECRET,
						"--PIKKU_GATEWAY_URL=http://127.0.0.1:" + emulator.port());
			ConfigurableApplicationContext stateful = new SpringApplicationBuilder(SampleApplication.class)
				.run("--server.port=0");
			int gatewayPort = gateway.getEnvironment().getProperty("local.server.port", Integer.class);
			int statefulPort = stateful.getEnvironment().getProperty("local.server.port", Integer.class);
			for (String api : List.of("echo", "chat")) {
				emulator.backends(api,
						List.of(java.net.URI.create("http://127.0.0.1:" + gatewayPort + "/pikku/gateway/" + api)));
			}
			RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
			try (StatefulRedisConnection<String, String> commands = client.connect()) {
				String echo = "{\"action\":\"echo\",\"text\":\"hello\"}";
				try (WebSocketTestClient viaGateway = WebSocketTestClient
					.connect(emulator.webSocketUri("echo").toString());
						WebSocketTestClient direct = WebSocketTestClient
							.connect("ws://127.0.0.1:" + statefulPort + "/echo")) {
					roundTrips(viaGateway, echo, messages / 4);
					roundTrips(direct, echo, messages / 4);
					Map<String, Long> before = stats(commands);
					int postsBefore = emulator.posts();
					double[] viaGatewayMs = roundTrips(viaGateway, echo, messages);
					Map<String, Long> echoCost = delta(before, stats(commands));
					int echoPosts = emulator.posts() - postsBefore;
					double[] directMs = roundTrips(direct, echo, messages);
					print("echo via the gateway", viaGatewayMs, echoCost, echoPosts, messages);
					print("echo on the stateful servlet transport", directMs, Map.of(), 0, messages);
					// the runtime alone, in process: what the gateway's HTTP hops leave
					// out
					StatelessChannelRuntime runtime = gateway.getBean(StatelessChannelRuntime.class);
					String id = "echo:" + emulator.openConnections().get(0);
					double[] inProcess = new double[messages];
					for (int i = 0; i < messages; i++) {
						long start = System.nanoTime();
						runtime.message(id, echo, true).toCompletableFuture().join().orElseThrow();
						inProcess[i] = (System.nanoTime() - start) / 1e6;
					}
					print("echo through StatelessChannelRuntime.message, in process", inProcess, Map.of(), 0, messages);
				}
				String token = io.pikku.sample.SampleLogin.token(gatewayPort, "alice");
				List<WebSocketTestClient> others = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					WebSocketTestClient other = WebSocketTestClient
						.connect(emulator.webSocketUri("chat") + "?room=cost&access_token=" + token);
					other.receive();
					others.add(other);
				}
				WebSocketTestClient sender = others.remove(0);
				String send = "{\"action\":\"sendMessage\",\"message\":\"hi\"}";
				int chatMessages = messages / 4;
				for (int i = 0; i < 10; i++) {
					sender.call(send);
					others.forEach(WebSocketTestClient::receive);
				}
				Map<String, Long> before = stats(commands);
				int postsBefore = emulator.posts();
				double[] chatMs = new double[chatMessages];
				for (int i = 0; i < chatMessages; i++) {
					long start = System.nanoTime();
					sender.call(send);
					others.forEach(WebSocketTestClient::receive);
					chatMs[i] = (System.nanoTime() - start) / 1e6;
				}
				print("chat sendMessage to a room of 3 via the gateway (reply and 2 deliveries)", chatMs,
						delta(before, stats(commands)), emulator.posts() - postsBefore, chatMessages);
				others.forEach(WebSocketTestClient::close);
				sender.close();
			}
			finally {
				client.shutdown();
				gateway.close();
				stateful.close();
			}
		}
	}

	private static double[] roundTrips(WebSocketTestClient client, String frame, int count) {
		double[] millis = new double[count];
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			client.call(frame);
			millis[i] = (System.nanoTime() - start) / 1e6;
		}
		return millis;
	}

	private static Map<String, Long> stats(StatefulRedisConnection<String, String> commands) {
		Map<String, Long> calls = new TreeMap<>();
		for (String line : commands.sync().info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String name = line.substring("cmdstat_".length(), line.indexOf(':'));
				String value = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
				calls.put(name, Long.parseLong(value));
			}
		}
		return calls;
	}

	private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new TreeMap<>();
		after.forEach((name, calls) -> {
			long added = calls - before.getOrDefault(name, 0L);
			if (added > 0 && !name.equals("info")) {
				delta.put(name, added);
			}
		});
		return delta;
	}

	private static void print(String what, double[] millis, Map<String, Long> redisCalls, int posts, int messages) {
		double[] sorted = millis.clone();
		Arrays.sort(sorted);
		double mean = Arrays.stream(millis).average().orElse(0);
		StringBuilder perMessage = new StringBuilder();
		redisCalls.forEach((name, calls) -> perMessage.append(name)
			.append('=')
			.append(String.format("%.2f", (double) calls / messages))
			.append(' '));
		System.out.printf(
				"%s: %d messages, mean %.2f ms, median %.2f ms, p99 %.2f ms; Redis per message: %s; posts per message %.2f%n",
				what, messages, mean, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)], perMessage,
				(double) posts / messages);
	}

}
