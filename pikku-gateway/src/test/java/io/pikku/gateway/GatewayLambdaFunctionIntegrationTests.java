package io.pikku.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.pikku.channel.runtime.StatelessChannelRuntime;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Lambda entry point, as the application's {@code Function} bean: invoked by the
 * emulator as a Lambda proxy integration (the event as Lambda's own serializer reads it)
 * behind real sockets, and with events made here for what a socket cannot show.
 */
@SpringBootTest(classes = { GatewayTestApplication.class, GatewayLambdaFunctionIntegrationTests.Credentials.class },
		properties = { "pikku.gateway.enabled=true", "pikku.gateway.secret=only-the-http-integration-needs-this",
				"pikku.gateway.apis.room.channel=room",
				"pikku.gateway.apis.room.api-id=" + GatewayLambdaFunctionIntegrationTests.ROOM_API_ID,
				"pikku.gateway.apis.loud.channel=loud", "pikku.gateway.apis.loud.api-id=loud4pi1d" })
@ExtendWith(OutputCaptureExtension.class)
class GatewayLambdaFunctionIntegrationTests {

	static final String ROOM_API_ID = "r00m4pi1d";

	static final GatewayEmulator emulator = GatewayEmulator.start(Map.of(), "unused-by-lambda-integrations");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final PojoSerializer<APIGatewayV2WebSocketEvent> events = LambdaEventSerializers
		.serializerFor(APIGatewayV2WebSocketEvent.class, GatewayLambdaFunctionIntegrationTests.class.getClassLoader());

	private static final PojoSerializer<APIGatewayV2WebSocketResponse> responses = LambdaEventSerializers.serializerFor(
			APIGatewayV2WebSocketResponse.class, GatewayLambdaFunctionIntegrationTests.class.getClassLoader());

	@Autowired
	Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> lambda;

	@Autowired
	StatelessChannelRuntime runtime;

	private final List<WebSocketTestClient> sockets = new ArrayList<>();

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("pikku.gateway.apis.room.endpoint", () -> emulator.managementEndpoint("room").toString());
		registry.add("pikku.gateway.apis.loud.endpoint", () -> emulator.managementEndpoint("loud").toString());
	}

	@BeforeEach
	void integrateTheFunction() {
		emulator.lambda("room", ROOM_API_ID, this::invoke);
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

	/** What the Lambda runtime does with the function: JSON in, JSON out. */
	private String invoke(String event) {
		APIGatewayV2WebSocketResponse response = this.lambda.apply(events.fromJson(event));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		responses.toJson(response, out);
		return out.toString(StandardCharsets.UTF_8);
	}

	@Test
	void aSocketConnectsWithOpeningDataIsAnsweredAndDisconnects() {
		Connected ann = connectRoom("ann");
		assertThat(join(this.runtime.channelStore().get(ann.channelId)).orElseThrow().openingData().toString())
			.isEqualTo("{\"name\":\"ann\"}");
		assertThat(ann.socket.call("{\"action\":\"echo\",\"text\":\"hi\",\"correlationId\":7}").toString())
			.isEqualTo("{\"action\":\"echo\",\"correlationId\":7,\"text\":\"hi\"}");
		for (int i = 1; i <= 2; i++) {
			assertThat(ann.socket.call("{\"action\":\"count\"}").path("count").asInt()).isEqualTo(i);
		}
		ann.socket.close();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> emulator.log().contains("$disconnect " + ann.connectionId + " 200"));
		assertThat(join(this.runtime.channelStore().get(ann.channelId))).isEmpty();
	}

	@Test
	void badOpeningDataAnswers400WithTheError() {
		APIGatewayV2WebSocketResponse response = this.lambda
			.apply(event(ROOM_API_ID, "$connect", "bad=", Map.of("name", "x".repeat(30))));
		assertThat(response.getStatusCode()).isEqualTo(400);
		JsonNode error = json.readTree(response.getBody()).path("error");
		assertThat(error.path("code").asString()).isEqualTo("validation_failed");
		assertThat(error.path("details").get(0).path("field").asString()).isEqualTo("name");
		assertThat(join(this.runtime.channelStore().get("room:bad="))).isEmpty();
	}

	@Test
	void anOnConnectThatFailsRefusesTheConnectionWithItsError() {
		APIGatewayV2WebSocketResponse response = this.lambda
			.apply(event(ROOM_API_ID, "$connect", "refused=", Map.of("name", "refuse")));
		assertThat(response.getStatusCode()).isEqualTo(403);
		assertThat(json.readTree(response.getBody()).path("error").path("code").asString()).isEqualTo("forbidden");
		assertThat(join(this.runtime.channelStore().get("room:refused="))).isEmpty();
	}

	@Test
	void anEventOfAnUnknownApiAnswers404InTheErrorShape() {
		APIGatewayV2WebSocketResponse response = this.lambda.apply(event("unknown", "$connect", "abc=", Map.of()));
		assertThat(response.getStatusCode()).isEqualTo(404);
		assertThat(json.readTree(response.getBody()).path("error").path("code").asString()).isEqualTo("not_found");
		APIGatewayV2WebSocketEvent noContext = new APIGatewayV2WebSocketEvent();
		assertThat(this.lambda.apply(noContext).getStatusCode()).isEqualTo(400);
	}

	@Test
	void aBinaryMessageAnswersUnsupportedFrame() {
		Connected ann = connectRoom("ann");
		ann.socket.sendBinary(new byte[] { 1, 2, 3 });
		assertThat(ann.socket.receive().path("error").path("code").asString()).isEqualTo("unsupported_frame");
		APIGatewayV2WebSocketEvent binary = event(ROOM_API_ID, "$default", ann.connectionId, null);
		binary.setBody(Base64.getEncoder().encodeToString("{\"action\":\"echo\",\"text\":\"hi\"}".getBytes()));
		binary.setIsBase64Encoded(true);
		APIGatewayV2WebSocketResponse response = this.lambda.apply(binary);
		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(json.readTree(response.getBody()).path("error").path("code").asString())
			.isEqualTo("unsupported_frame");
	}

	@Test
	void aMessageOverTheLimitAnswersTooLarge() {
		Connected ann = connectRoom("ann");
		APIGatewayV2WebSocketEvent big = event(ROOM_API_ID, "sendMessage", ann.connectionId, null);
		big.setBody("{\"action\":\"echo\",\"text\":\"" + "x".repeat(130 * 1024) + "\"}");
		APIGatewayV2WebSocketResponse response = this.lambda.apply(big);
		assertThat(response.getStatusCode()).isEqualTo(200);
		JsonNode error = json.readTree(response.getBody()).path("error");
		assertThat(error.path("code").asString()).isEqualTo("too_large");
		assertThat(error.path("details").path("limit").asInt()).isEqualTo(128 * 1024);
		assertThat(ann.socket.call("{\"action\":\"echo\",\"text\":\"after\"}").path("text").asString())
			.isEqualTo("after");
	}

	@Test
	void aLambdaAuthorizersPrincipalIsTheSession() {
		APIGatewayV2WebSocketEvent connect = event("loud4pi1d", "$connect", "authorized=", Map.of());
		connect.getRequestContext().setAuthorizer(Map.of("principalId", "alice", "integrationLatency", 12));
		assertThat(this.lambda.apply(connect).getStatusCode()).isEqualTo(200);
		assertThat(join(this.runtime.channelStore().channelsOfUser("alice"))).contains("loud:authorized=");
		APIGatewayV2WebSocketEvent anonymous = event("loud4pi1d", "$connect", "anonymous=", Map.of());
		assertThat(this.lambda.apply(anonymous).getStatusCode()).isEqualTo(200);
		assertThat(join(this.runtime.channelStore().get("loud:anonymous=")).orElseThrow().userId()).isNull();
		for (String id : List.of("authorized=", "anonymous=")) {
			assertThat(this.lambda.apply(event("loud4pi1d", "$disconnect", id, null)).getStatusCode()).isEqualTo(200);
		}
		assertThat(join(this.runtime.channelStore().channelsOfUser("alice"))).isEmpty();
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
		assertThat(this.lambda.apply(event(ROOM_API_ID, "$disconnect", ann.connectionId, null)).getStatusCode())
			.isEqualTo(200);
		assertThat(output.toString().substring(mark)).doesNotContain("WARN").doesNotContain("ERROR");
	}

	/** Connects through the emulator, and waits for what onConnect sent. */
	private Connected connectRoom(String name) {
		List<String> before = emulator.openConnections();
		WebSocketTestClient socket = WebSocketTestClient.connect(emulator.webSocketUri("room") + "?name=" + name);
		this.sockets.add(socket);
		assertThat(socket.receive().path("welcome").asString()).isEqualTo(name);
		List<String> after = new ArrayList<>(emulator.openConnections());
		after.removeAll(before);
		assertThat(after).hasSize(1);
		return new Connected(socket, "room:" + after.get(0), after.get(0));
	}

	private static APIGatewayV2WebSocketEvent event(String apiId, String routeKey, String connectionId,
			Map<String, String> query) {
		APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
		context.setApiId(apiId);
		context.setRouteKey(routeKey);
		context.setConnectionId(connectionId);
		context.setStage("prod");
		APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
		event.setRequestContext(context);
		event.setQueryStringParameters(query);
		return event;
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(15, TimeUnit.SECONDS).join();
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
