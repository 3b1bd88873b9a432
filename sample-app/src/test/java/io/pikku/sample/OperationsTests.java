package io.pikku.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ConnectionInfo;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations part of the sample app contract: public health, the {@code pikku} and
 * {@code prometheus} actuator endpoints for admins only, and meters whose tags never hold
 * a client's values.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class OperationsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

	/** A Prometheus sample line: name, labels, value. */
	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\} (\\S+).*$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void healthIsPublicAndUp() throws Exception {
		HttpResponse<String> response = get("/actuator/health", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = SampleLogin.json(response.body());
		assertThat(health.path("status").stringValue()).isEqualTo("UP");
		assertThat(health.path("components").isObject()).as(response.body()).isTrue();
		assertThat(health.path("components").has("pikkuEventHub")).as("no Redis EventHub in memory").isFalse();
	}

	@Test
	void pikkuAndPrometheusEndpointsNeedRoleAdmin() throws Exception {
		String bob = SampleLogin.token(this.port, "bob");
		String admin = SampleLogin.token(this.port, "admin");
		for (String path : List.of("/actuator/pikku", "/actuator/prometheus")) {
			assertThat(get(path, null).statusCode()).as(path + " without a token").isEqualTo(401);
			assertThat(get(path, "not-a-token").statusCode()).as(path + " with a bad token").isEqualTo(401);
			assertThat(get(path, bob).statusCode()).as(path + " as bob").isEqualTo(403);
			HttpResponse<String> asAdmin = get(path, admin);
			assertThat(asAdmin.statusCode()).as(path + " as admin").isEqualTo(200);
			assertThat(asAdmin.body()).isNotBlank();
		}
	}

	@Test
	void pikkuEndpointListsTheChannelsAndTheirLiveConnections() throws Exception {
		String admin = SampleLogin.token(this.port, "admin");
		JsonNode pikku = pikku(admin);
		assertThat(pikku.path("channels").values()).extracting((channel) -> channel.path("name").stringValue())
			.contains("echo", "chat", "todos");
		assertThat(channel(pikku, "echo").path("route").stringValue()).isEqualTo("/echo");
		assertThat(channel(pikku, "chat").path("route").stringValue()).isEqualTo("/chat/{room}");
		assertThat(channel(pikku, "todos").path("route").stringValue()).isEqualTo("/todos");
		for (String name : List.of("echo", "chat", "todos")) {
			JsonNode channel = channel(pikku, name);
			assertThat(channel.path("connections").isIntegralNumber()).as(channel.toString()).isTrue();
			assertThat(channel.path("connections").longValue()).as(channel.toString()).isNotNegative();
		}
		assertThat(channel(pikku, "echo").path("actions").values())
			.extracting((action) -> action.path("name").stringValue())
			.contains("echo", "subscribe", "unsubscribe", "publish");
		long before = channel(pikku, "echo").path("connections").longValue();
		WebSocketTestClient first = connect("/echo", Map.of());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(channel(pikku(admin), "echo").path("connections").longValue())
				.isEqualTo(before + 1));
		connect("/echo", Map.of());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(channel(pikku(admin), "echo").path("connections").longValue())
				.isEqualTo(before + 2));
		first.close();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(channel(pikku(admin), "echo").path("connections").longValue())
				.isEqualTo(before + 1));
	}

	@Test
	void prometheusShowsConnectionsCallsAndErrorsByChannelActionOutcomeAndCode() throws Exception {
		String admin = SampleLogin.token(this.port, "admin");
		String scrape = prometheus(admin);
		assertThat(scrape).contains("pikku_connections{channel=\"echo\"")
			.contains("pikku_connections{channel=\"chat\"")
			.contains("pikku_connections{channel=\"todos\"");
		double echoes = value(scrape, "pikku_calls_seconds_count",
				Map.of("channel", "echo", "action", "echo", "outcome", "success"));
		double unknownActions = value(scrape, "pikku_errors_total", Map.of("code", "unknown_action"));
		WebSocketTestClient client = connect("/echo", Map.of());
		assertThat(client.call("{\"action\":\"echo\",\"text\":\"counted\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"text\":\"counted\"}");
		assertThat(client.call("{\"action\":\"nope\"}").path("error").path("code").stringValue())
			.isEqualTo("unknown_action");
		await().atMost(WAIT).untilAsserted(() -> {
			String after = prometheus(admin);
			assertThat(after).contains("pikku_calls_seconds_count{action=\"echo\",channel=\"echo\",outcome=\"success\"")
				.contains("pikku_errors_total{code=\"unknown_action\"");
			assertThat(value(after, "pikku_calls_seconds_count",
					Map.of("channel", "echo", "action", "echo", "outcome", "success")))
				.isEqualTo(echoes + 1);
			assertThat(value(after, "pikku_errors_total", Map.of("code", "unknown_action")))
				.isEqualTo(unknownActions + 1);
			assertThat(value(after, "pikku_connections", Map.of("channel", "echo"))).isPositive();
		});
	}

	@Test
	void tagValuesNeverComeFromTheClient() throws Exception {
		String admin = SampleLogin.token(this.port, "admin");
		String marker = "zq" + UUID.randomUUID().toString().replace("-", "");
		String action = marker + "-action";
		String topic = marker + "-topic";
		String room = marker.substring(0, 20) + "-room";
		double unknownCalls = value(prometheus(admin), "pikku_calls_seconds_count",
				Map.of("channel", "echo", "action", "unknown", "outcome", "unknown_action"));
		WebSocketTestClient echo = connect("/echo", Map.of());
		JsonNode unknown = echo.call("{\"action\":\"" + action + "\"}");
		assertThat(unknown.path("error").path("code").stringValue()).as(unknown.toString()).isEqualTo("unknown_action");
		assertThat(
				echo.call("{\"action\":\"subscribe\",\"topic\":\"" + topic + "\"}").path("subscribed").booleanValue())
			.isTrue();
		echo.send("{\"action\":\"publish\",\"topic\":\"" + topic + "\",\"payload\":{\"n\":1}}");
		List<JsonNode> published = List.of(echo.receive(), echo.receive());
		assertThat(published).anySatisfy((message) -> assertThat(message.path("topic").stringValue()).isEqualTo(topic));
		WebSocketTestClient chat = connect("/chat/" + room,
				Map.of("Authorization", "Bearer " + SampleLogin.token(this.port, "alice")));
		assertThat(chat.receive().path("welcome").stringValue()).isEqualTo("Welcome to " + room + "!");
		assertThat(chat.call("{\"action\":\"sendMessage\",\"message\":\"hello\"}").path("userId").stringValue())
			.isEqualTo("alice");
		List<String> connectionIds = this.runtime.connections().stream().map(ConnectionInfo::channelId).toList();
		assertThat(connectionIds).hasSizeGreaterThanOrEqualTo(2);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(value(prometheus(admin), "pikku_calls_seconds_count",
					Map.of("channel", "echo", "action", "unknown", "outcome", "unknown_action")))
				.isEqualTo(unknownCalls + 1));
		String scrape = prometheus(admin);
		assertThat(scrape).contains("pikku_calls_seconds_count{action=\"sendMessage\",channel=\"chat\"");
		assertThat(scrape).doesNotContain(marker).doesNotContain("alice");
		assertThat(connectionIds).allSatisfy((id) -> assertThat(scrape).doesNotContain(id));
		// every channel and action tag is a name from the channel definitions
		JsonNode pikku = pikku(admin);
		Set<String> channels = new HashSet<>();
		Set<String> actions = new HashSet<>(Set.of("unknown", "onMessage", "onBinary", "onConnect", "onDisconnect"));
		pikku.path("channels").values().forEach((channel) -> {
			channels.add(channel.path("name").stringValue());
			channel.path("actions").values().forEach((wired) -> actions.add(wired.path("name").stringValue()));
		});
		// meters without tags (e.g. pikku_eventhub_published_total) cannot carry a
		// client's value
		for (String line : scrape.lines().filter((line) -> line.startsWith("pikku_") && line.contains("{")).toList()) {
			Map<String, String> labels = labels(line);
			if (labels.containsKey("channel")) {
				assertThat(labels.get("channel")).as(line).isIn(channels);
			}
			if (labels.containsKey("action")) {
				assertThat(labels.get("action")).as(line).isIn(actions);
			}
			String name = line.substring(0, line.indexOf('{'));
			if (name.equals("pikku_connections")) {
				assertThat(labels.keySet()).as(line).containsExactly("channel");
			}
			else if (name.startsWith("pikku_calls_seconds")) {
				assertThat(labels.keySet()).as(line).containsExactlyInAnyOrder("channel", "action", "outcome");
			}
			else if (name.equals("pikku_errors_total")) {
				assertThat(labels.keySet()).as(line).containsExactly("code");
			}
		}
	}

	private WebSocketTestClient connect(String path, Map<String, String> headers) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + path, headers);
		this.clients.add(client);
		return client;
	}

	private JsonNode pikku(String token) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/pikku", token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return SampleLogin.json(response.body());
	}

	private String prometheus(String token) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/prometheus", token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private static JsonNode channel(JsonNode pikku, String name) {
		return pikku.path("channels")
			.values()
			.stream()
			.filter((channel) -> name.equals(channel.path("name").stringValue()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No channel " + name + " in " + pikku));
	}

	/**
	 * The value of the sample with exactly these labels, or 0 if there is none yet.
	 */
	private static double value(String scrape, String name, Map<String, String> labels) {
		List<Double> values = scrape.lines()
			.map(SAMPLE::matcher)
			.filter(Matcher::matches)
			.filter((sample) -> sample.group(1).equals(name) && parseLabels(sample.group(2)).equals(labels))
			.map((sample) -> Double.parseDouble(sample.group(3)))
			.toList();
		assertThat(values).as("%s%s", name, labels).hasSizeLessThanOrEqualTo(1);
		return values.isEmpty() ? 0 : values.get(0);
	}

	private static Map<String, String> labels(String line) {
		Matcher sample = SAMPLE.matcher(line);
		assertThat(sample.matches()).as(line).isTrue();
		return parseLabels(sample.group(2));
	}

	private static Map<String, String> parseLabels(String text) {
		Map<String, String> labels = new LinkedHashMap<>();
		Matcher label = LABEL.matcher(text);
		while (label.find()) {
			labels.put(label.group(1), label.group(2));
		}
		return labels;
	}

	private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(WAIT)
			.GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

}
