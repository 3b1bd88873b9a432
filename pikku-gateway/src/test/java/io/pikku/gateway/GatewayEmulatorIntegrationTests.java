package io.pikku.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.pikku.channel.runtime.ConnectionGateway;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.gateway.app.GatewayTestApplication;
import io.pikku.gateway.emulator.GatewayEmulator;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PayloadTooLargeException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gateway runtime behind the emulator, over real sockets, with the real AWS SDK
 * client posting to the emulator's management API.
 */
@SpringBootTest(classes = { GatewayTestApplication.class, GatewayEmulatorIntegrationTests.Credentials.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pikku.gateway.enabled=true", "pikku.gateway.secret=" + GatewayEmulatorIntegrationTests.SECRET,
				"pikku.gateway.apis.room.channel=room", "pikku.gateway.apis.loud.channel=loud" })
@ExtendWith(OutputCaptureExtension.class)
class GatewayEmulatorIntegrationTests {

	static final String SECRET = "a-shared-secret-for-tests";

	static final GatewayEmulator emulator = GatewayEmulator.start(Map.of(), SECRET);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	StatelessChannelRuntime runtime;

	@Autowired
	ConnectionGateway gateway;

	@Autowired
	EventHub eventHub;

	private final List<WebSocketTestClient> sockets = new ArrayList<>();

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("pikku.gateway.apis.room.endpoint", () -> emulator.managementEndpoint("room").toString());
		registry.add("pikku.gateway.apis.loud.endpoint", () -> emulator.managementEndpoint("loud").toString());
	}

	@BeforeEach
	void routeTheEmulatorHere() {
		for (String api : List.of("room", "loud")) {
			emulator.backends(api, List.of(URI.create("http://127.0.0.1:" + this.port + "/pikku/gateway/" + api)));
		}
		emulator.disconnectMode(GatewayEmulator.DisconnectMode.ONCE);
	}

	@AfterEach
	void closeSockets() {
		this.sockets.forEach(WebSocketTestClient::close);
	}

	@AfterAll
	static void stopEmulator() {
		emulator.close();
	}

	private WebSocketTestClient connect(String api, String query) {
		WebSocketTestClient socket = WebSocketTestClient.connect(emulator.webSocketUri(api) + query);
		this.sockets.add(socket);
		return socket;
	}

	/** Connects and returns the connection's channel id, from the emulator. */
	private Connected connectRoom(String name) {
		List<String> before = emulator.openConnections();
		WebSocketTestClient socket = connect("room", "?name=" + name);
		JsonNode welcome = socket.receive();
		assertThat(welcome.path("welcome").asString()).isEqualTo(name);
		List<String> after = new ArrayList<>(emulator.openConnections());
		after.removeAll(before);
		assertThat(after).hasSize(1);
		return new Connected(socket, "room:" + after.get(0), after.get(0));
	}

	private static JsonNode call(WebSocketTestClient socket, String frame) {
		return socket.call(frame);
	}

	/** The HTTP status with which the gateway refused an upgrade. */
	private int refusal(String api, String query) {
		try {
			connect(api, query);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof java.net.http.WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
		throw new AssertionError("The upgrade was not refused");
	}

	@Test
	void aMessageIsAnsweredThroughTheGatewayAndOnConnectSendsArriveFirst() {
		Connected ann = connectRoom("ann");
		assertThat(call(ann.socket, "{\"action\":\"echo\",\"text\":\"hi\",\"correlationId\":7}").toString())
			.isEqualTo("{\"action\":\"echo\",\"correlationId\":7,\"text\":\"hi\"}");
	}

	@Test
	void whatOnConnectSendsWaitsUntilTheGatewayHasTheConnection() {
		int goneBefore = emulator.goneAnswers();
		emulator.connectDelay(Duration.ofMillis(400));
		try {
			connectRoom("late");
		}
		finally {
			emulator.connectDelay(Duration.ZERO);
		}
		assertThat(emulator.goneAnswers()).isGreaterThan(goneBefore);
	}

	@Test
	void badOpeningDataRefusesTheConnectionWith400() {
		assertThat(refusal("room", "?name=" + "x".repeat(30))).isEqualTo(400);
		assertThat(refusal("room", "")).isEqualTo(400);
	}

	@Test
	void aFailingOnConnectRefusesTheConnectionAndForgetsIt() {
		assertThat(refusal("room", "?name=refuse")).isEqualTo(403);
		String refusedId = emulator.log()
			.stream()
			.filter((line) -> line.startsWith("$connect") && line.endsWith(" 403"))
			.map((line) -> line.split(" ")[1])
			.findFirst()
			.orElseThrow();
		assertThat(join(this.runtime.channelStore().get("room:" + refusedId))).isEmpty();
	}

	@Test
	void stateIsKeptInTheStoreBetweenEvents() {
		Connected ann = connectRoom("ann");
		for (int i = 1; i <= 3; i++) {
			assertThat(call(ann.socket, "{\"action\":\"count\"}").path("count").asInt()).isEqualTo(i);
		}
		assertThat(join(this.runtime.channelStore().get(ann.channelId)).orElseThrow().state().toString())
			.isEqualTo("{\"count\":3}");
	}

	@Test
	void aSessionSetInBandHoldsForLaterMessages() {
		Connected ann = connectRoom("ann");
		assertThat(call(ann.socket, "{\"action\":\"whoami\"}").path("error").path("code").asString())
			.isEqualTo("unauthorized");
		assertThat(call(ann.socket, "{\"action\":\"login\",\"user\":\"ann\"}").path("userId").asString())
			.isEqualTo("ann");
		assertThat(call(ann.socket, "{\"action\":\"whoami\"}").path("userId").asString()).isEqualTo("ann");
		assertThat(join(this.runtime.channelStore().channelsOfUser("ann"))).contains(ann.channelId);
	}

	@Test
	void badInputIsAnsweredInTheErrorShape() {
		Connected ann = connectRoom("ann");
		assertThat(call(ann.socket, "not json").toString())
			.isEqualTo("{\"error\":{\"code\":\"invalid_json\",\"message\":\"Message is not valid JSON\"}}");
		JsonNode unknown = call(ann.socket, "{\"action\":\"nope\"}");
		assertThat(unknown.path("action").asString()).isEqualTo("nope");
		assertThat(unknown.path("error").path("code").asString()).isEqualTo("unknown_action");
		JsonNode invalid = call(ann.socket, "{\"action\":\"echo\",\"text\":\"\"}");
		assertThat(invalid.path("error").path("code").asString()).isEqualTo("validation_failed");
		assertThat(invalid.path("error").path("details").get(0).path("field").asString()).isEqualTo("text");
		ann.socket.sendBinary(new byte[] { 1, 2, 3 });
		assertThat(ann.socket.receive().path("error").path("code").asString()).isEqualTo("unsupported_frame");
	}

	@Test
	void whatACallSendsToItsOwnConnectionArrivesBeforeItsReply() {
		Connected ann = connectRoom("ann");
		ann.socket.send("{\"action\":\"publish\",\"topic\":\"lobby\",\"payload\":{\"n\":1}}");
		assertThat(ann.socket.receiveText()).isEqualTo("{\"before\":\"reply\"}");
		assertThat(ann.socket.receiveText()).isEqualTo("{\"topic\":\"lobby\",\"n\":1}");
		assertThat(ann.socket.receiveText()).isEqualTo("{\"action\":\"publish\",\"published\":true}");
	}

	@Test
	void aPublishFromAControllerReachesSubscribersThroughTheirChannelMiddleware() throws Exception {
		Connected ann = connectRoom("ann");
		WebSocketTestClient loud = connect("loud", "");
		assertThat(call(loud, "{\"action\":\"subscribe\",\"topic\":\"lobby\"}").path("loud").asBoolean()).isTrue();
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/publish?topic=lobby"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"news\":\"hello\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(ann.socket.receiveText()).isEqualTo("{\"topic\":\"lobby\",\"news\":\"hello\"}");
		assertThat(loud.receiveText()).isEqualTo("{\"topic\":\"lobby\",\"news\":\"hello\",\"loud\":true}");
	}

	@Test
	void anOutboundMessageOverTheLimitIsRefusedAndLogged(CapturedOutput output) {
		Connected ann = connectRoom("ann");
		JsonNode refused = call(ann.socket, "{\"action\":\"big\"}");
		assertThat(refused.path("action").asString()).isEqualTo("big");
		assertThat(refused.path("error").path("code").asString()).isEqualTo("too_large");
		assertThat(output).contains("refused: the gateway's limit is 131072 bytes");
		assertThat(call(ann.socket, "{\"action\":\"echo\",\"text\":\"after\"}").path("text").asString())
			.isEqualTo("after");
	}

	@Test
	void anInboundMessageOverTheLimitIsAnsweredTooLarge() throws Exception {
		Connected ann = connectRoom("ann");
		HttpResponse<String> response = integration("room", "message", ann.connectionId, SECRET,
				"{\"action\":\"echo\",\"text\":\"" + "x".repeat(130 * 1024) + "\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).path("error").path("code").asString()).isEqualTo("too_large");
	}

	@Test
	void aChannelThatClosesItselfIsClosedByTheGatewayAndForgotten() {
		Connected ann = connectRoom("ann");
		ann.socket.send("{\"action\":\"bye\"}");
		ann.socket.awaitClose();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> join(this.runtime.channelStore().get(ann.channelId)).isEmpty());
	}

	@Test
	void aGoneConnectionIsCleanedFromEveryTopicItsUserAndTheStore() {
		emulator.disconnectMode(GatewayEmulator.DisconnectMode.DROPPED);
		Connected ann = connectRoom("ann");
		call(ann.socket, "{\"action\":\"login\",\"user\":\"gone-user\"}");
		call(ann.socket, "{\"action\":\"subscribe\",\"topic\":\"t1\"}");
		call(ann.socket, "{\"action\":\"subscribe\",\"topic\":\"t2\"}");
		ann.socket.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> !emulator.openConnections().contains(ann.connectionId));
		assertThat(join(this.runtime.channelStore().get(ann.channelId))).isPresent();
		join(this.eventHub.publish("t1", null, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> join(this.runtime.channelStore().get(ann.channelId)).isEmpty());
		for (String topic : List.of("t1", "t2", "lobby")) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(join(this.eventHub.subscribers(topic))).extracting(TopicSubscriber::channelId)
							.doesNotContain(ann.channelId));
		}
		assertThat(join(this.runtime.channelStore().channelsOfUser("gone-user"))).isEmpty();
	}

	@Test
	void aDuplicatedDisconnectIsQuiet(CapturedOutput output) {
		emulator.disconnectMode(GatewayEmulator.DisconnectMode.TWICE);
		Connected ann = connectRoom("ann");
		int mark = output.length();
		ann.socket.close();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> emulator.log()
				.stream()
				.filter((line) -> line.equals("$disconnect " + ann.connectionId + " 200"))
				.count() == 2);
		assertThat(join(this.runtime.channelStore().get(ann.channelId))).isEmpty();
		assertThat(output.toString().substring(mark)).doesNotContain("WARN").doesNotContain("ERROR");
	}

	@Test
	void aConnectWithBadOpeningDataIsAnsweredInTheErrorShape() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(
					URI.create("http://127.0.0.1:" + this.port + "/pikku/gateway/room/connect?name=" + "x".repeat(30)))
			.header("X-Pikku-Gateway-Secret", SECRET)
			.header("X-Pikku-Connection-Id", "abc=")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = json.readTree(response.body()).path("error");
		assertThat(error.path("code").asString()).isEqualTo("validation_failed");
		assertThat(error.path("details").get(0).path("field").asString()).isEqualTo("name");
	}

	@Test
	void integrationCallsWithoutTheSecretAnAPIOrAConnectionIdAreRefused() throws Exception {
		HttpResponse<String> noSecret = integration("room", "message", "abc=", "wrong-secret", "{}");
		assertThat(noSecret.statusCode()).isEqualTo(403);
		assertThat(json.readTree(noSecret.body()).path("error").path("code").asString()).isEqualTo("forbidden");
		HttpResponse<String> unknownApi = integration("nope", "message", "abc=", SECRET, "{}");
		assertThat(unknownApi.statusCode()).isEqualTo(404);
		assertThat(json.readTree(unknownApi.body()).path("error").path("code").asString()).isEqualTo("not_found");
		HttpResponse<String> noConnection = integration("room", "message", null, SECRET, "{}");
		assertThat(noConnection.statusCode()).isEqualTo(400);
		assertThat(json.readTree(noConnection.body()).path("error").path("code").asString())
			.isEqualTo("validation_failed");
	}

	@Test
	void theManagementApiAnswersAsAwsDoes() throws Exception {
		Connected ann = connectRoom("ann");
		HttpResponse<String> unsigned = http.send(HttpRequest
			.newBuilder(URI.create(emulator.managementEndpoint("room") + "/@connections/" + ann.connectionId))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(unsigned.statusCode()).isEqualTo(403);
		assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> join(this.gateway.post(ann.channelId, "x".repeat(130 * 1024))))
			.withCauseInstanceOf(PayloadTooLargeException.class);
		emulator.throttleNext(2);
		join(this.gateway.post(ann.channelId, "{\"after\":\"throttling\"}"));
		assertThat(ann.socket.receiveText()).isEqualTo("{\"after\":\"throttling\"}");
		ConnectionGateway.Info info = join(this.gateway.info(ann.channelId)).orElseThrow();
		assertThat(info.sourceIp()).isEqualTo("127.0.0.1");
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> join(this.gateway.post("room:unknown=", "{}")))
			.withCauseInstanceOf(ConnectionGateway.GoneException.class);
		assertThat(join(this.gateway.info("room:unknown="))).isEmpty();
		join(this.gateway.close(ann.channelId));
		ann.socket.awaitClose();
		join(this.gateway.close(ann.channelId));
	}

	@Test
	void anIdleConnectionIsClosedByTheGatewayAndForgotten() {
		Connected ann = connectRoom("ann");
		emulator.idleTimeout(Duration.ofMillis(200));
		try {
			ann.socket.awaitClose();
		}
		finally {
			emulator.idleTimeout(Duration.ofMinutes(10));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> join(this.runtime.channelStore().get(ann.channelId)).isEmpty());
	}

	@Test
	void aBusyConnectionIsClosedByTheGatewayAtItsMaximumDurationAndForgotten() {
		Connected ann = connectRoom("ann");
		emulator.maxDuration(Duration.ofMillis(600));
		try {
			// active all along: only the maximum duration can close it
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
				if (!ann.socket.isClosed()) {
					try {
						ann.socket.send("{\"action\":\"publish\",\"topic\":\"busy\",\"payload\":{\"n\":1}}");
					}
					catch (RuntimeException ex) {
						// closed meanwhile
					}
				}
				return ann.socket.isClosed();
			});
		}
		finally {
			emulator.maxDuration(Duration.ofHours(2));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> join(this.runtime.channelStore().get(ann.channelId)).isEmpty());
	}

	private HttpResponse<String> integration(String api, String route, String connectionId, String secret, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/pikku/gateway/" + api + "/" + route))
			.header("X-Pikku-Gateway-Secret", secret)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (connectionId != null) {
			request.header("X-Pikku-Connection-Id", connectionId);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join();
	}

	private record Connected(WebSocketTestClient socket, String channelId, String connectionId) {
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Credentials {

		@Bean
		GatewayClientCustomizer staticCredentials() {
			return (api, builder) -> builder
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
		}

	}

}
