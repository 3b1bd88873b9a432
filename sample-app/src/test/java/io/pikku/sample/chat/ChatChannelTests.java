package io.pikku.sample.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code chat} channel of the sample app contract, over real sockets.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatChannelTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	@LocalServerPort
	int port;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void roomsOutsideThePatternAreRefusedWithBadRequest() throws Exception {
		for (String room : List.of("Lobby", "a_b", "a.b", "caf%C3%A9", "x".repeat(33))) {
			RawHandshake.Response response = RawHandshake.upgrade(this.port, "/chat/" + room, Map.of());
			assertThat(response.status()).as(room).isEqualTo(400);
			assertValidationFailedBody(response, "room");
		}
		assertThat(RawHandshake.upgrade(this.port, "/chat/" + "x".repeat(32), Map.of()).status()).isEqualTo(101);
		assertThat(RawHandshake.upgrade(this.port, "/chat/a-0", Map.of()).status()).isEqualTo(101);
	}

	@Test
	void theNameIsOptionalAndAtMostFortyCharacters() throws Exception {
		assertThat(RawHandshake.upgrade(this.port, "/chat/names", Map.of()).status()).isEqualTo(101);
		assertThat(RawHandshake.upgrade(this.port, "/chat/names?name=" + "n".repeat(40), Map.of()).status())
			.isEqualTo(101);
		RawHandshake.Response tooLong = RawHandshake.upgrade(this.port, "/chat/names?name=" + "n".repeat(41), Map.of());
		assertThat(tooLong.status()).isEqualTo(400);
		assertValidationFailedBody(tooLong, "name");
		RawHandshake.Response empty = RawHandshake.upgrade(this.port, "/chat/names?name=", Map.of());
		assertThat(empty.status()).isEqualTo(400);
		assertValidationFailedBody(empty, "name");
	}

	private static void assertValidationFailedBody(RawHandshake.Response response, String field) {
		JsonNode body = SampleLogin.json(response.body());
		assertThat(body.path("error").path("code").stringValue()).as(response.body()).isEqualTo("validation_failed");
		assertThat(body.path("error").path("details").values()).as(response.body())
			.extracting((detail) -> detail.path("field").stringValue())
			.contains(field);
	}

	@Test
	void connectingAnswersTheWelcomeOfTheRoom() {
		WebSocketTestClient client = connect("/chat/lobby");
		assertThat(client.receive().toString()).isEqualTo("{\"welcome\":\"Welcome to lobby!\"}");
		WebSocketTestClient named = connect("/chat/lobby-2?name=Alice%20A.");
		assertThat(named.receive().toString()).isEqualTo("{\"welcome\":\"Welcome to lobby-2!\"}");
	}

	@Test
	void authenticateWithAGoodTokenLogsTheConnectionIn() {
		WebSocketTestClient client = join("auth-good");
		assertThat(authenticate(client, "alice").toString())
			.isEqualTo("{\"action\":\"authenticate\",\"authenticated\":true,\"userId\":\"alice\"}");
		assertThat(client.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}").path("userId").stringValue())
			.isEqualTo("alice");
	}

	@Test
	void authenticateWithABadTokenIsUnauthorizedAndTheConnectionStaysOpen() {
		WebSocketTestClient client = join("auth-bad");
		assertError(client.call("{\"action\":\"authenticate\",\"token\":\"not-a-jwt\"}"), "authenticate",
				"unauthorized");
		String tampered = SampleLogin.token(this.port, "alice") + "x";
		assertError(client.call("{\"action\":\"authenticate\",\"token\":\"" + tampered + "\"}"), "authenticate",
				"unauthorized");
		assertError(client.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}"), "sendMessage", "unauthorized");
		assertValidationFailed(client.call("{\"action\":\"authenticate\"}"), "authenticate", "token");
		assertThat(client.isClosed()).isFalse();
		assertThat(authenticate(client, "bob").path("userId").stringValue()).isEqualTo("bob");
	}

	@Test
	void aBadTokenDoesNotEndAnExistingSession() {
		WebSocketTestClient client = join("auth-replace");
		authenticate(client, "alice");
		assertError(client.call("{\"action\":\"authenticate\",\"token\":\"not-a-jwt\"}"), "authenticate",
				"unauthorized");
		assertThat(client.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}").path("userId").stringValue())
			.isEqualTo("alice");
	}

	@Test
	void reauthenticatingReplacesTheSession() {
		WebSocketTestClient client = join("auth-again");
		authenticate(client, "alice");
		authenticate(client, "bob");
		assertThat(client.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}").path("userId").stringValue())
			.isEqualTo("bob");
		assertThat(client.call("{\"action\":\"who\"}").toString())
			.isEqualTo("{\"action\":\"who\",\"users\":[\"bob\"]}");
	}

	@Test
	void sendMessageWithoutASessionIsUnauthorized() throws Exception {
		WebSocketTestClient anonymous = join("no-session");
		WebSocketTestClient listener = join("no-session");
		assertError(anonymous.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}"), "sendMessage", "unauthorized");
		listener.assertNoMessage(QUIET);
	}

	@Test
	void sendMessageAnswersTheSenderAndDeliversToTheRestOfTheRoomOnly() throws Exception {
		WebSocketTestClient alice = join("general");
		authenticate(alice, "alice");
		WebSocketTestClient bob = joinAs("general", "bob");
		WebSocketTestClient anonymous = join("general");
		WebSocketTestClient elsewhere = joinAs("random", "admin");
		long before = System.currentTimeMillis();
		JsonNode reply = alice.call("{\"action\":\"sendMessage\",\"message\":\"Hello, room! \\u00e9\"}");
		long after = System.currentTimeMillis();
		assertThat(reply.propertyNames()).containsExactly("action", "message", "userId", "timestamp");
		assertThat(reply.path("action").stringValue()).isEqualTo("sendMessage");
		assertThat(reply.path("message").stringValue()).isEqualTo("Hello, room! \u00e9");
		assertThat(reply.path("userId").stringValue()).isEqualTo("alice");
		assertThat(reply.path("timestamp").isIntegralNumber()).isTrue();
		assertThat(reply.path("timestamp").longValue()).isBetween(before, after);
		for (WebSocketTestClient other : List.of(bob, anonymous)) {
			JsonNode delivery = other.receive();
			assertThat(delivery.propertyNames()).containsExactly("topic", "type", "message", "userId", "timestamp");
			assertThat(delivery.toString()).isEqualTo("{\"topic\":\"room:general\",\"type\":\"message\","
					+ "\"message\":\"Hello, room! \u00e9\",\"userId\":\"alice\",\"timestamp\":"
					+ reply.path("timestamp").longValue() + "}");
		}
		alice.assertNoMessage(QUIET);
		elsewhere.assertNoMessage(Duration.ZERO);
		JsonNode fromBob = bob.call("{\"action\":\"sendMessage\",\"message\":\"hi alice\"}");
		assertThat(fromBob.path("userId").stringValue()).isEqualTo("bob");
		assertThat(alice.receive().path("message").stringValue()).isEqualTo("hi alice");
		assertThat(anonymous.receive().path("userId").stringValue()).isEqualTo("bob");
		bob.assertNoMessage(QUIET);
		elsewhere.assertNoMessage(Duration.ZERO);
	}

	@Test
	void messagesMustBeOneToTwoThousandCharacters() {
		WebSocketTestClient client = joinAs("limits", "alice");
		assertValidationFailed(client.call("{\"action\":\"sendMessage\",\"message\":\"\"}"), "sendMessage", "message");
		assertValidationFailed(client.call("{\"action\":\"sendMessage\",\"message\":\"" + "m".repeat(2001) + "\"}"),
				"sendMessage", "message");
		assertValidationFailed(client.call("{\"action\":\"sendMessage\"}"), "sendMessage", "message");
		String longest = "\u00e9".repeat(2000);
		assertThat(client.call("{\"action\":\"sendMessage\",\"message\":\"" + longest + "\"}")
			.path("message")
			.stringValue()).isEqualTo(longest);
		assertThat(client.call("{\"action\":\"sendMessage\",\"message\":\"m\"}").path("message").stringValue())
			.isEqualTo("m");
	}

	@Test
	void whoListsTheSortedDistinctUsersOfTheRoom() {
		WebSocketTestClient bob = joinAs("presence", "bob");
		WebSocketTestClient alice = joinAs("presence", "alice");
		WebSocketTestClient aliceAgain = join("presence");
		authenticate(aliceAgain, "alice");
		WebSocketTestClient anonymous = join("presence");
		joinAs("presence-elsewhere", "admin");
		assertThat(bob.call("{\"action\":\"who\"}").toString())
			.isEqualTo("{\"action\":\"who\",\"users\":[\"alice\",\"bob\"]}");
		assertError(anonymous.call("{\"action\":\"who\"}"), "who", "unauthorized");
		assertThat(alice.call("{\"action\":\"who\",\"correlationId\":\"w\"}"))
			.isEqualTo(SampleLogin.json("{\"action\":\"who\",\"correlationId\":\"w\",\"users\":[\"alice\",\"bob\"]}"));
		bob.close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(users(aliceAgain)).containsExactly("alice"));
		alice.close();
		assertThat(users(aliceAgain)).containsExactly("alice");
		WebSocketTestClient admin = joinAs("presence", "admin");
		aliceAgain.close();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(users(admin)).containsExactly("admin"));
	}

	@Test
	void anInBandLoginShowsInWho() {
		WebSocketTestClient observer = joinAs("presence-in-band", "admin");
		WebSocketTestClient client = join("presence-in-band");
		assertThat(users(observer)).containsExactly("admin");
		authenticate(client, "bob");
		assertThat(users(observer)).containsExactly("admin", "bob");
		assertThat(users(client)).containsExactly("admin", "bob");
	}

	@Test
	void aBearerHeaderAtTheHandshakeEstablishesTheSessionBeforeOnConnect() {
		WebSocketTestClient observer = joinAs("handshake-header", "admin");
		WebSocketTestClient alice = connect("/chat/handshake-header",
				Map.of("Authorization", "Bearer " + SampleLogin.token(this.port, "alice")));
		assertThat(alice.receive().toString()).isEqualTo("{\"welcome\":\"Welcome to handshake-header!\"}");
		assertThat(users(observer)).containsExactly("admin", "alice");
		JsonNode reply = alice.call("{\"action\":\"sendMessage\",\"message\":\"no in-band auth\"}");
		assertThat(reply.path("userId").stringValue()).isEqualTo("alice");
		assertThat(observer.receive().path("message").stringValue()).isEqualTo("no in-band auth");
	}

	@Test
	void anAccessTokenQueryParameterEstablishesTheSessionBeforeOnConnect() {
		WebSocketTestClient observer = joinAs("handshake-query", "admin");
		WebSocketTestClient bob = connect(
				"/chat/handshake-query?name=Bob&access_token=" + SampleLogin.token(this.port, "bob"));
		assertThat(bob.receive().toString()).isEqualTo("{\"welcome\":\"Welcome to handshake-query!\"}");
		assertThat(users(observer)).containsExactly("admin", "bob");
		JsonNode reply = bob.call("{\"action\":\"sendMessage\",\"message\":\"via query\"}");
		assertThat(reply.path("userId").stringValue()).isEqualTo("bob");
		assertThat(observer.receive().path("userId").stringValue()).isEqualTo("bob");
	}

	@Test
	void logoutClearsTheSession() {
		WebSocketTestClient observer = joinAs("logout", "admin");
		WebSocketTestClient alice = join("logout");
		authenticate(alice, "alice");
		assertThat(alice.call("{\"action\":\"logout\"}").toString())
			.isEqualTo("{\"action\":\"logout\",\"loggedOut\":true}");
		assertError(alice.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}"), "sendMessage", "unauthorized");
		assertThat(users(observer)).containsExactly("admin");
		WebSocketTestClient bob = joinAs("logout", "bob");
		assertThat(bob.call("{\"action\":\"logout\",\"correlationId\":3}"))
			.isEqualTo(SampleLogin.json("{\"action\":\"logout\",\"correlationId\":3,\"loggedOut\":true}"));
		assertError(bob.call("{\"action\":\"sendMessage\",\"message\":\"hi\"}"), "sendMessage", "unauthorized");
		assertThat(authenticate(alice, "alice").path("authenticated").booleanValue()).isTrue();
		assertThat(alice.call("{\"action\":\"sendMessage\",\"message\":\"back\"}").path("userId").stringValue())
			.isEqualTo("alice");
	}

	@Test
	void theCorrelationIdIsEchoedOnRepliesAndErrorsButNotOnDeliveries() {
		WebSocketTestClient alice = join("correlation");
		WebSocketTestClient bob = joinAs("correlation", "bob");
		JsonNode unauthorized = alice.call("{\"action\":\"sendMessage\",\"message\":\"x\",\"correlationId\":\"c-1\"}");
		assertThat(unauthorized.path("correlationId").stringValue()).isEqualTo("c-1");
		assertThat(unauthorized.path("error").path("code").stringValue()).isEqualTo("unauthorized");
		JsonNode login = alice.call("{\"action\":\"authenticate\",\"token\":\"" + SampleLogin.token(this.port, "alice")
				+ "\",\"correlationId\":7}");
		assertThat(login.path("correlationId").intValue()).isEqualTo(7);
		assertThat(login.path("userId").stringValue()).isEqualTo("alice");
		JsonNode sent = alice.call("{\"action\":\"sendMessage\",\"message\":\"x\",\"correlationId\":\"c-2\"}");
		assertThat(sent.path("correlationId").stringValue()).isEqualTo("c-2");
		assertThat(sent.path("message").stringValue()).isEqualTo("x");
		JsonNode delivery = bob.receive();
		assertThat(delivery.has("correlationId")).isFalse();
		assertThat(delivery.path("message").stringValue()).isEqualTo("x");
		JsonNode invalid = alice.call("{\"action\":\"sendMessage\",\"message\":\"\",\"correlationId\":\"c-3\"}");
		assertThat(invalid.path("correlationId").stringValue()).isEqualTo("c-3");
		assertThat(invalid.path("error").path("code").stringValue()).isEqualTo("validation_failed");
	}

	private List<String> users(WebSocketTestClient client) {
		JsonNode reply = client.call("{\"action\":\"who\"}");
		assertThat(reply.path("action").stringValue()).isEqualTo("who");
		assertThat(reply.has("error")).as(reply.toString()).isFalse();
		return reply.path("users").values().stream().map(JsonNode::stringValue).toList();
	}

	private JsonNode authenticate(WebSocketTestClient client, String user) {
		JsonNode reply = client
			.call("{\"action\":\"authenticate\",\"token\":\"" + SampleLogin.token(this.port, user) + "\"}");
		assertThat(reply.path("userId").stringValue()).as(reply.toString()).isEqualTo(user);
		return reply;
	}

	private WebSocketTestClient join(String room) {
		WebSocketTestClient client = connect("/chat/" + room);
		assertThat(client.receive().path("welcome").stringValue()).isEqualTo("Welcome to " + room + "!");
		return client;
	}

	private WebSocketTestClient joinAs(String room, String user) {
		WebSocketTestClient client = connect("/chat/" + room,
				Map.of("Authorization", "Bearer " + SampleLogin.token(this.port, user)));
		assertThat(client.receive().path("welcome").stringValue()).isEqualTo("Welcome to " + room + "!");
		return client;
	}

	private WebSocketTestClient connect(String pathAndQuery) {
		return connect(pathAndQuery, Map.of());
	}

	private WebSocketTestClient connect(String pathAndQuery, Map<String, String> headers) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + pathAndQuery, headers);
		this.clients.add(client);
		return client;
	}

	private static void assertError(JsonNode reply, String action, String code) {
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo(action);
		assertThat(reply.path("error").path("code").stringValue()).as(reply.toString()).isEqualTo(code);
		assertThat(reply.path("error").path("message").stringValue()).isNotBlank();
	}

	private static void assertValidationFailed(JsonNode reply, String action, String field) {
		assertError(reply, action, "validation_failed");
		assertThat(reply.path("error").path("details").values()).as(reply.toString())
			.extracting((detail) -> detail.path("field").stringValue())
			.contains(field);
	}

}
