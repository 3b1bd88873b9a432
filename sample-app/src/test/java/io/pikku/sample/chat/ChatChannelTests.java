package io.pikku.sample.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.test.RawHandshake;
import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
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

	@Autowired
	ChannelTester tester;

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
		this.tester.connect("/chat/lobby").nextMessage().isEqualToJson("{\"welcome\":\"Welcome to lobby!\"}");
		this.tester.connect("/chat/lobby-2?name=Alice%20A.")
			.nextMessage()
			.isEqualToJson("{\"welcome\":\"Welcome to lobby-2!\"}");
	}

	@Test
	void authenticateWithAGoodTokenLogsTheConnectionIn() {
		ChannelTester.Connection client = join("auth-good");
		authenticate(client, "alice")
			.isEqualToJson("{\"action\":\"authenticate\",\"authenticated\":true,\"userId\":\"alice\"}");
		sendMessage(client, "hi").path("$.userId").isEqualTo("alice");
	}

	@Test
	void authenticateWithABadTokenIsUnauthorizedAndTheConnectionStaysOpen() {
		ChannelTester.Connection client = join("auth-bad");
		authenticate(client, Map.of("token", "not-a-jwt")).expectError("unauthorized");
		String tampered = SampleLogin.token(this.port, "alice") + "x";
		authenticate(client, Map.of("token", tampered)).expectError("unauthorized");
		sendMessage(client, "hi").expectError("unauthorized");
		authenticate(client, Map.of()).expectError("validation_failed").hasDetailField("token");
		assertThat(client.isClosed()).isFalse();
		authenticate(client, "bob").path("$.userId").isEqualTo("bob");
	}

	@Test
	void aBadTokenDoesNotEndAnExistingSession() {
		ChannelTester.Connection client = join("auth-replace");
		authenticate(client, "alice");
		authenticate(client, Map.of("token", "not-a-jwt")).expectError("unauthorized");
		sendMessage(client, "hi").path("$.userId").isEqualTo("alice");
	}

	@Test
	void reauthenticatingReplacesTheSession() {
		ChannelTester.Connection client = join("auth-again");
		authenticate(client, "alice");
		authenticate(client, "bob");
		sendMessage(client, "hi").path("$.userId").isEqualTo("bob");
		client.action("who").execute().isEqualToJson("{\"action\":\"who\",\"users\":[\"bob\"]}");
	}

	@Test
	void sendMessageWithoutASessionIsUnauthorized() {
		ChannelTester.Connection anonymous = join("no-session");
		ChannelTester.Connection listener = join("no-session");
		sendMessage(anonymous, "hi").expectError("unauthorized");
		listener.expectNoMessage(QUIET);
	}

	@Test
	void sendMessageAnswersTheSenderAndDeliversToTheRestOfTheRoomOnly() {
		ChannelTester.Connection alice = join("general");
		authenticate(alice, "alice");
		ChannelTester.Connection bob = joinAs("general", "bob");
		ChannelTester.Connection anonymous = join("general");
		ChannelTester.Connection elsewhere = joinAs("random", "admin");
		long before = System.currentTimeMillis();
		JsonNode reply = sendMessage(alice, "Hello, room! \u00e9").expectSuccess().json();
		long after = System.currentTimeMillis();
		assertThat(reply.propertyNames()).containsExactly("action", "message", "userId", "timestamp");
		assertThat(reply.path("action").stringValue()).isEqualTo("sendMessage");
		assertThat(reply.path("message").stringValue()).isEqualTo("Hello, room! \u00e9");
		assertThat(reply.path("userId").stringValue()).isEqualTo("alice");
		assertThat(reply.path("timestamp").isIntegralNumber()).isTrue();
		assertThat(reply.path("timestamp").longValue()).isBetween(before, after);
		for (ChannelTester.Connection other : List.of(bob, anonymous)) {
			JsonNode delivery = other.nextMessage().json();
			assertThat(delivery.propertyNames()).containsExactly("topic", "type", "message", "userId", "timestamp");
			assertThat(delivery.toString()).isEqualTo("{\"topic\":\"room:general\",\"type\":\"message\","
					+ "\"message\":\"Hello, room! \u00e9\",\"userId\":\"alice\",\"timestamp\":"
					+ reply.path("timestamp").longValue() + "}");
		}
		alice.expectNoMessage(QUIET);
		elsewhere.expectNoMessage(Duration.ZERO);
		sendMessage(bob, "hi alice").path("$.userId").isEqualTo("bob");
		alice.nextMessage().path("$.message").isEqualTo("hi alice");
		anonymous.nextMessage().path("$.userId").isEqualTo("bob");
		bob.expectNoMessage(QUIET);
		elsewhere.expectNoMessage(Duration.ZERO);
	}

	@Test
	void messagesMustBeOneToTwoThousandCharacters() {
		ChannelTester.Connection client = joinAs("limits", "alice");
		sendMessage(client, "").expectError("validation_failed").hasDetailField("message");
		sendMessage(client, "m".repeat(2001)).expectError("validation_failed").hasDetailField("message");
		client.action("sendMessage").execute().expectError("validation_failed").hasDetailField("message");
		String longest = "\u00e9".repeat(2000);
		sendMessage(client, longest).path("$.message").isEqualTo(longest);
		sendMessage(client, "m").path("$.message").isEqualTo("m");
	}

	@Test
	void whoListsTheSortedDistinctUsersOfTheRoom() {
		ChannelTester.Connection bob = joinAs("presence", "bob");
		ChannelTester.Connection alice = joinAs("presence", "alice");
		ChannelTester.Connection aliceAgain = join("presence");
		authenticate(aliceAgain, "alice");
		ChannelTester.Connection anonymous = join("presence");
		joinAs("presence-elsewhere", "admin");
		bob.action("who").execute().isEqualToJson("{\"action\":\"who\",\"users\":[\"alice\",\"bob\"]}");
		anonymous.action("who").execute().expectError("unauthorized");
		alice.action("who")
			.correlationId("w")
			.execute()
			.isEqualToJson("{\"action\":\"who\",\"correlationId\":\"w\",\"users\":[\"alice\",\"bob\"]}");
		bob.close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(users(aliceAgain)).containsExactly("alice"));
		alice.close();
		assertThat(users(aliceAgain)).containsExactly("alice");
		ChannelTester.Connection admin = joinAs("presence", "admin");
		aliceAgain.close();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(users(admin)).containsExactly("admin"));
	}

	@Test
	void anInBandLoginShowsInWho() {
		ChannelTester.Connection observer = joinAs("presence-in-band", "admin");
		ChannelTester.Connection client = join("presence-in-band");
		assertThat(users(observer)).containsExactly("admin");
		authenticate(client, "bob");
		assertThat(users(observer)).containsExactly("admin", "bob");
		assertThat(users(client)).containsExactly("admin", "bob");
	}

	@Test
	void aBearerHeaderAtTheHandshakeEstablishesTheSessionBeforeOnConnect() {
		ChannelTester.Connection observer = joinAs("handshake-header", "admin");
		ChannelTester.Connection alice = this.tester.mutate()
			.header("Authorization", "Bearer " + SampleLogin.token(this.port, "alice"))
			.build()
			.connect("/chat/handshake-header");
		alice.nextMessage().isEqualToJson("{\"welcome\":\"Welcome to handshake-header!\"}");
		assertThat(users(observer)).containsExactly("admin", "alice");
		sendMessage(alice, "no in-band auth").path("$.userId").isEqualTo("alice");
		observer.nextMessage().path("$.message").isEqualTo("no in-band auth");
	}

	@Test
	void anAccessTokenQueryParameterEstablishesTheSessionBeforeOnConnect() {
		ChannelTester.Connection observer = joinAs("handshake-query", "admin");
		ChannelTester.Connection bob = this.tester
			.connect("/chat/handshake-query?name=Bob&access_token=" + SampleLogin.token(this.port, "bob"));
		bob.nextMessage().isEqualToJson("{\"welcome\":\"Welcome to handshake-query!\"}");
		assertThat(users(observer)).containsExactly("admin", "bob");
		sendMessage(bob, "via query").path("$.userId").isEqualTo("bob");
		observer.nextMessage().path("$.userId").isEqualTo("bob");
	}

	@Test
	void logoutClearsTheSession() {
		ChannelTester.Connection observer = joinAs("logout", "admin");
		ChannelTester.Connection alice = join("logout");
		authenticate(alice, "alice");
		alice.action("logout").execute().isEqualToJson("{\"action\":\"logout\",\"loggedOut\":true}");
		sendMessage(alice, "hi").expectError("unauthorized");
		assertThat(users(observer)).containsExactly("admin");
		ChannelTester.Connection bob = joinAs("logout", "bob");
		bob.action("logout")
			.correlationId(3)
			.execute()
			.isEqualToJson("{\"action\":\"logout\",\"correlationId\":3,\"loggedOut\":true}");
		sendMessage(bob, "hi").expectError("unauthorized");
		authenticate(alice, "alice").path("$.authenticated").isEqualTo(true);
		sendMessage(alice, "back").path("$.userId").isEqualTo("alice");
	}

	@Test
	void theCorrelationIdIsEchoedOnRepliesAndErrorsButNotOnDeliveries() {
		ChannelTester.Connection alice = join("correlation");
		ChannelTester.Connection bob = joinAs("correlation", "bob");
		alice.action("sendMessage")
			.input(Map.of("message", "x"))
			.correlationId("c-1")
			.execute()
			.satisfies((reply) -> assertThat(reply.path("correlationId").stringValue()).isEqualTo("c-1"))
			.expectError("unauthorized");
		alice.action("authenticate")
			.input(Map.of("token", SampleLogin.token(this.port, "alice")))
			.correlationId(7)
			.execute()
			.path("$.correlationId")
			.isEqualTo(7)
			.path("$.userId")
			.isEqualTo("alice");
		alice.action("sendMessage")
			.input(Map.of("message", "x"))
			.correlationId("c-2")
			.execute()
			.path("$.correlationId")
			.isEqualTo("c-2")
			.path("$.message")
			.isEqualTo("x");
		bob.nextMessage().path("$.correlationId").doesNotExist().path("$.message").isEqualTo("x");
		alice.action("sendMessage")
			.input(Map.of("message", ""))
			.correlationId("c-3")
			.execute()
			.satisfies((reply) -> assertThat(reply.path("correlationId").stringValue()).isEqualTo("c-3"))
			.expectError("validation_failed");
	}

	private List<String> users(ChannelTester.Connection client) {
		return client.action("who")
			.execute()
			.path("$.action")
			.isEqualTo("who")
			.path("$.users")
			.entityList(String.class)
			.get();
	}

	private ChannelTester.Reply authenticate(ChannelTester.Connection client, String user) {
		ChannelTester.Reply reply = authenticate(client, Map.of("token", SampleLogin.token(this.port, user)));
		reply.path("$.userId").isEqualTo(user);
		return reply;
	}

	private static ChannelTester.Reply authenticate(ChannelTester.Connection client, Map<String, String> input) {
		return client.action("authenticate").input(input).execute();
	}

	private static ChannelTester.Reply sendMessage(ChannelTester.Connection client, String message) {
		return client.action("sendMessage").input(Map.of("message", message)).execute();
	}

	private ChannelTester.Connection join(String room) {
		return welcomed(this.tester, room);
	}

	private ChannelTester.Connection joinAs(String room, String user) {
		return welcomed(this.tester.mutate().bearerToken(SampleLogin.token(this.port, user)).build(), room);
	}

	private static ChannelTester.Connection welcomed(ChannelTester tester, String room) {
		ChannelTester.Connection client = tester.connect("/chat/" + room);
		client.nextMessage().path("$.welcome").isEqualTo("Welcome to " + room + "!");
		return client;
	}

}
