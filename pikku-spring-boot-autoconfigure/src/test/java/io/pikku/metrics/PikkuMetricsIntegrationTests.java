package io.pikku.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.pikku.test.EnableAutoConfigurationWithoutWebSecurity;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ConnectionInfo;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Micrometer meters and the {@code pikku} actuator endpoint of a running application,
 * over a real socket: Spring Boot on a random port with the actuator's in-memory meter
 * registry, the JDK's WebSocket and HTTP clients.
 */
@SpringBootTest(classes = PikkuMetricsIntegrationTests.MetricsChannels.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.endpoints.web.exposure.include=pikku")
class PikkuMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	ChannelRuntime runtime;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private WebSocketTestClient connect(String path) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + path);
		this.clients.add(client);
		return client;
	}

	@Test
	void metersOfEveryChannelAreRegisteredBeforeItsFirstFrame() {
		assertThat(this.registry.find("pikku.connections").tag("channel", "status").gauge()).isNotNull();
		assertThat(messages("pikku.messages.in", "status")).isZero();
		assertThat(messages("pikku.messages.out", "status")).isZero();
		assertThat(this.registry.find("pikku.connections").tag("channel", "metrics").gauge()).isNotNull();
	}

	@Test
	void aKnownSequenceOfFramesIsCountedExactlyWithoutClientValuesInTags() {
		WebSocketTestClient client = connect("/metrics");
		await().atMost(WAIT).untilAsserted(() -> assertThat(connections("metrics")).isEqualTo(1.0));
		String connectionId = this.runtime.connections()
			.stream()
			.filter((connection) -> connection.channelName().equals("metrics"))
			.map(ConnectionInfo::channelId)
			.findFirst()
			.orElseThrow();
		for (int i = 1; i <= 3; i++) {
			assertThat(client.call("{\"action\":\"ok\"}").toString()).isEqualTo("{\"progress\":true}");
			assertThat(client.receive().toString()).isEqualTo("{\"action\":\"ok\",\"ok\":true}");
		}
		assertError(client.call("{\"action\":\"quota\"}"), "quota_exceeded");
		assertError(client.call("{\"action\":\"crash\"}"), "internal");
		assertError(client.call("{\"action\":\"nope\"}"), "unknown_action");
		assertError(client.call("{not json"), "invalid_json");
		// nothing of the frames before carries over to a success after errors
		assertThat(client.call("{\"action\":\"ok\"}").toString()).isEqualTo("{\"progress\":true}");
		assertThat(client.receive().toString()).isEqualTo("{\"action\":\"ok\",\"ok\":true}");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(calls("ok", "success")).isEqualTo(4);
			assertThat(calls("quota", "quota_exceeded")).isEqualTo(1);
			assertThat(calls("crash", "internal")).isEqualTo(1);
			assertThat(calls("unknown", "unknown_action")).isEqualTo(1);
			assertThat(calls("unknown", "invalid_json")).isEqualTo(1);
		});
		assertThat(this.registry.find("pikku.calls").tag("channel", "metrics").timers())
			.extracting((timer) -> timer.getId().getTag("action") + "/" + timer.getId().getTag("outcome"))
			.containsExactlyInAnyOrder("ok/success", "quota/quota_exceeded", "crash/internal", "unknown/unknown_action",
					"unknown/invalid_json");
		assertThat(this.registry.get("pikku.calls").tag("action", "ok").timer().totalTime(TimeUnit.NANOSECONDS))
			.isPositive();
		assertThat(errors("quota_exceeded")).isEqualTo(1.0);
		assertThat(errors("internal")).isEqualTo(1.0);
		assertThat(errors("unknown_action")).isEqualTo(1.0);
		assertThat(errors("invalid_json")).isEqualTo(1.0);
		assertThat(this.registry.find("pikku.errors").counters())
			.extracting((counter) -> counter.getId().getTag("code"))
			.containsExactlyInAnyOrder("quota_exceeded", "internal", "unknown_action", "invalid_json");
		// 3 successes, quota, crash, nope, invalid JSON, a success
		assertThat(messages("pikku.messages.in", "metrics")).isEqualTo(8.0);
		// 4 x (a send and a reply), and 4 error replies
		assertThat(messages("pikku.messages.out", "metrics")).isEqualTo(12.0);
		assertThat(messages("pikku.messages.in", "status")).isZero();
		assertThat(messages("pikku.messages.out", "status")).isZero();
		client.close();
		await().atMost(WAIT).untilAsserted(() -> assertThat(connections("metrics")).isZero());
		assertNoTagHolds("nope");
		assertNoTagHolds(connectionId);
	}

	@Test
	void pikkuEndpointDescribesTheChannelsAndCountsLiveConnections() throws Exception {
		JsonNode before = getPikku();
		assertThat(before.path("channels").values()).extracting((channel) -> channel.path("name").stringValue())
			.containsExactly("metrics", "status");
		JsonNode status = channel(before, "status");
		assertThat(status.path("route").stringValue()).isEqualTo("/status");
		assertThat(status.path("connections").longValue()).isZero();
		assertThat(status.path("auth").booleanValue()).isTrue();
		assertThat(status.path("actions").values())
			.extracting((action) -> action.path("routingProperty").stringValue() + ":"
					+ action.path("name").stringValue() + ":" + action.path("auth").booleanValue())
			.containsExactly("action:ping:false", "action:secret:true", "command:stop:true");
		assertThat(status.path("actions").get(0).path("summary").stringValue()).isEqualTo("Answers pong");
		JsonNode metrics = channel(before, "metrics");
		assertThat(metrics.path("route").stringValue()).isEqualTo("/metrics");
		assertThat(metrics.path("auth").booleanValue()).isFalse();
		assertThat(metrics.path("actions").values()).extracting((action) -> action.path("name").stringValue())
			.containsExactly("ok", "quota", "crash");
		assertThat(metrics.path("actions").values()).allSatisfy((action) -> {
			assertThat(action.path("routingProperty").stringValue()).isEqualTo("action");
			assertThat(action.path("auth").booleanValue()).isFalse();
		});
		WebSocketTestClient client = connect("/status");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(channel(getPikku(), "status").path("connections").longValue()).isOne());
		JsonNode during = getPikku();
		assertThat(channel(during, "metrics").path("connections").longValue()).isZero();
		assertThat(during.path("connections").intValue()).isOne();
		client.close();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(channel(getPikku(), "status").path("connections").longValue()).isZero());
	}

	private double connections(String channel) {
		Gauge gauge = this.registry.find("pikku.connections").tag("channel", channel).gauge();
		assertThat(gauge).as("pikku.connections{channel=%s}", channel).isNotNull();
		return gauge.value();
	}

	private long calls(String action, String outcome) {
		Timer timer = this.registry.find("pikku.calls")
			.tags("channel", "metrics", "action", action, "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private double errors(String code) {
		Counter counter = this.registry.find("pikku.errors").tag("code", code).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double messages(String name, String channel) {
		Counter counter = this.registry.find(name).tag("channel", channel).counter();
		assertThat(counter).as("%s{channel=%s}", name, channel).isNotNull();
		return counter.count();
	}

	private void assertNoTagHolds(String clientValue) {
		List<Meter> pikkuMeters = this.registry.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("pikku."))
			.toList();
		assertThat(pikkuMeters).isNotEmpty();
		Set<String> tagValues = this.registry.getMeters()
			.stream()
			.flatMap((meter) -> meter.getId().getTags().stream())
			.map(Tag::getValue)
			.collect(Collectors.toSet());
		assertThat(tagValues).noneMatch((value) -> value.contains(clientValue));
		assertThat(this.registry.getMeters()).noneMatch((meter) -> meter.getId().getName().contains(clientValue));
	}

	private static void assertError(JsonNode reply, String code) {
		assertThat(reply.path("error").path("code").stringValue()).as(reply.toString()).isEqualTo(code);
	}

	private static JsonNode channel(JsonNode pikku, String name) {
		return pikku.path("channels")
			.values()
			.stream()
			.filter((channel) -> name.equals(channel.path("name").stringValue()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No channel " + name + " in " + pikku));
	}

	private JsonNode getPikku() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/pikku"))
			.timeout(WAIT)
			.header("Accept", "application/json")
			.GET()
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/**
	 * A channel whose actions succeed, fail with a client error and fail unexpectedly,
	 * and a second one to describe, with the Spring Security servlet auto-configurations
	 * excluded.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfigurationWithoutWebSecurity
	static class MetricsChannels {

		@Bean
		ChannelDefinition<?> metricsChannel() {
			PikkuFunction<Void, Object> ok = PikkuFunction.of(Void.class, (input, context) -> {
				context.channel().send(Map.of("progress", true));
				return Map.of("ok", true);
			});
			PikkuFunction<Void, Object> quota = PikkuFunction.of(Void.class, (input, context) -> {
				throw new PikkuException("quota_exceeded", "Quota exceeded", Map.of("limit", 3));
			});
			PikkuFunction<Void, Object> crash = PikkuFunction.of(Void.class, (input, context) -> {
				throw new IllegalStateException("connection string with a password");
			});
			return ChannelDefinition.builder("metrics", "/metrics")
				.auth(false)
				.action("ok", ok)
				.action("quota", quota)
				.action("crash", crash)
				.build();
		}

		@Bean
		ChannelDefinition<?> statusChannel() {
			PikkuFunction<Void, Map<String, Boolean>> ping = PikkuFunction.builder(Void.class)
				.auth(false)
				.summary("Answers pong")
				.handler((input, context) -> Map.of("pong", true))
				.build();
			PikkuFunction<Void, Object> secret = PikkuFunction.of(Void.class, (input, context) -> Map.of("secret", 42));
			PikkuFunction<Void, Object> stop = PikkuFunction.of(Void.class,
					(input, context) -> Map.of("stopped", true));
			return ChannelDefinition.builder("status", "/status")
				.action("ping", ping)
				.action("secret", secret)
				.action("command", "stop", stop)
				.build();
		}

	}

}
