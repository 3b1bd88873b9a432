package io.pikku.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an unauthenticated client of the open {@code echo} channel tries against the other
 * channels and the runtime, through the topics it may name: it reads no chat room, posts
 * to none, forges no todo event, reads no message to a user, and closes no user's
 * connections. The attacker and the victims may be on different instances.
 */
abstract class TopicIsolationTests {

	private static final Duration QUIET = Duration.ofMillis(500);

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	/**
	 * Where the attacker connects.
	 * @return the port
	 */
	protected abstract int attackerPort();

	/**
	 * Where the victims connect.
	 * @return the port
	 */
	protected abstract int victimPort();

	/**
	 * The channel runtime of the attacker's instance, which application code uses to
	 * reach users on every instance.
	 * @return the runtime
	 */
	protected abstract ChannelRuntime attackerRuntime();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void anEchoClientReadsNoChatRoom() {
		WebSocketTestClient attacker = echo();
		subscribe(attacker, "room:lobby-read");
		WebSocketTestClient alice = chat("lobby-read", "alice");
		WebSocketTestClient bob = chat("lobby-read", "bob");
		alice.call("{\"action\":\"sendMessage\",\"message\":\"secret\"}");
		assertThat(bob.receive().path("message").stringValue()).isEqualTo("secret");
		assertNothingReaches(attacker);
	}

	@Test
	void anEchoClientCannotPostToAChatRoom() throws Exception {
		WebSocketTestClient attacker = echo();
		WebSocketTestClient alice = chat("lobby-post", "alice");
		publish(attacker, "room:lobby-post",
				"{\"type\":\"message\",\"message\":\"from admin\",\"userId\":\"admin\",\"timestamp\":1}");
		alice.assertNoMessage(QUIET);
		assertThat(alice.call("{\"action\":\"who\"}").path("users").toString()).isEqualTo("[\"alice\"]");
	}

	@Test
	void anEchoClientCannotForgeTodoEvents() throws Exception {
		WebSocketTestClient attacker = echo();
		WebSocketTestClient bob = todos("bob");
		assertThat(bob.call("{\"action\":\"subscribe\"}").path("subscribed").booleanValue()).isTrue();
		publish(attacker, "todos:updated", "{\"event\":\"created\",\"todo\":{\"id\":\"x\",\"text\":\"forged\"}}");
		bob.assertNoMessage(QUIET);
	}

	@Test
	void anEchoClientReadsNoMessageToAUser() {
		WebSocketTestClient attacker = echo();
		subscribe(attacker, "pikku:users");
		subscribe(attacker, "users");
		WebSocketTestClient alice = chat("lobby-users", "alice");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			attackerRuntime().sendToUser("alice", Map.of("notice", "password changed")).toCompletableFuture().join();
			assertThat(alice.receive().path("notice").stringValue()).isEqualTo("password changed");
		});
		assertNothingReaches(attacker);
	}

	@Test
	void anEchoClientCannotCloseOrMessageAUser() throws Exception {
		WebSocketTestClient attacker = echo();
		WebSocketTestClient alice = chat("lobby-close", "alice");
		for (String topic : List.of("pikku:users", "users", "pikku:runtime", "runtime")) {
			publish(attacker, topic, "{\"user\":\"alice\",\"kind\":\"close\",\"code\":4001,\"reason\":\"bye\"}");
			publish(attacker, topic, "{\"user\":\"alice\",\"kind\":\"send\",\"message\":{\"injected\":true}}");
		}
		alice.assertNoMessage(QUIET);
		assertThat(alice.isClosed()).isFalse();
		assertThat(alice.call("{\"action\":\"who\"}").path("users").toString()).isEqualTo("[\"alice\"]");
	}

	@Test
	void echoClientsStillShareTheirOwnTopicsUnderAnyName() {
		WebSocketTestClient first = echo();
		WebSocketTestClient second = echo();
		for (String topic : List.of("room:lobby-echo", "pikku:users", "todos:updated")) {
			subscribe(second, topic);
			publish(first, topic, "{\"n\":1}");
			assertThat(second.receive().toString()).isEqualTo("{\"topic\":" + quoted(topic) + ",\"n\":1}");
		}
	}

	private void assertNothingReaches(WebSocketTestClient attacker) {
		try {
			attacker.assertNoMessage(QUIET);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private WebSocketTestClient echo() {
		return connect("ws://localhost:" + attackerPort() + "/echo");
	}

	private WebSocketTestClient chat(String room, String user) {
		String token = SampleLogin.token(victimPort(), user);
		WebSocketTestClient client = connect(
				"ws://localhost:" + victimPort() + "/chat/" + room + "?access_token=" + token);
		assertThat(client.receive().path("welcome").stringValue()).isEqualTo("Welcome to " + room + "!");
		return client;
	}

	private WebSocketTestClient todos(String user) {
		String token = SampleLogin.token(victimPort(), user);
		return connect("ws://localhost:" + victimPort() + "/todos?access_token=" + token);
	}

	private WebSocketTestClient connect(String uri) {
		WebSocketTestClient client = WebSocketTestClient.connect(uri);
		this.clients.add(client);
		return client;
	}

	private static void subscribe(WebSocketTestClient client, String topic) {
		JsonNode reply = client.call("{\"action\":\"subscribe\",\"topic\":" + quoted(topic) + "}");
		assertThat(reply.path("subscribed").booleanValue()).as(reply.toString()).isTrue();
	}

	/**
	 * Publishes from an echo client, which receives the reply (its own subscriptions
	 * aside).
	 */
	private static void publish(WebSocketTestClient client, String topic, String payload) {
		JsonNode reply = client
			.call("{\"action\":\"publish\",\"topic\":" + quoted(topic) + ",\"payload\":" + payload + "}");
		while (reply.has("topic")) {
			reply = client.receive();
		}
		assertThat(reply.path("published").booleanValue()).as(reply.toString()).isTrue();
	}

	private static String quoted(String text) {
		return tools.jackson.databind.node.StringNode.valueOf(text).toString();
	}

}
