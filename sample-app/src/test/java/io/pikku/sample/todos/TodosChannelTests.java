package io.pikku.sample.todos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code todos} channel of the sample app contract, over real sockets. The list is
 * shared by every test of the context, so each test starts by clearing it as admin.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class TodosChannelTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	@LocalServerPort
	int port;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@BeforeEach
	void clearAsAdmin() {
		try (WebSocketTestClient admin = WebSocketTestClient.connect("ws://localhost:" + this.port + "/todos")) {
			auth(admin, "admin");
			assertThat(admin.call("{\"action\":\"clear\"}").path("cleared").isIntegralNumber()).isTrue();
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void authLogsTheConnectionInLikeAuthenticate() {
		WebSocketTestClient client = connect();
		assertThat(client.call("{\"action\":\"auth\",\"token\":\"" + SampleLogin.token(this.port, "alice") + "\"}")
			.toString()).isEqualTo("{\"action\":\"auth\",\"authenticated\":true,\"userId\":\"alice\"}");
		assertThat(create(client, "mine").path("owner").stringValue()).isEqualTo("alice");
	}

	@Test
	void authWithABadTokenIsUnauthorizedAndTheConnectionStaysOpen() {
		WebSocketTestClient client = connect();
		assertError(client.call("{\"action\":\"auth\",\"token\":\"not-a-jwt\"}"), "auth", "unauthorized");
		assertError(client.call("{\"action\":\"list\"}"), "list", "unauthorized");
		assertValidationFailed(client.call("{\"action\":\"auth\",\"token\":\"\"}"), "auth", "token");
		assertThat(client.isClosed()).isFalse();
		auth(client, "bob");
		assertThat(client.call("{\"action\":\"list\"}").path("todos").isArray()).isTrue();
	}

	@Test
	void everyActionButAuthNeedsASession() throws Exception {
		WebSocketTestClient anonymous = connect();
		WebSocketTestClient subscriber = connectAs("alice");
		subscribe(subscriber);
		assertError(anonymous.call("{\"action\":\"subscribe\"}"), "subscribe", "unauthorized");
		assertError(anonymous.call("{\"action\":\"list\"}"), "list", "unauthorized");
		assertError(anonymous.call("{\"action\":\"create\",\"text\":\"sneaky\"}"), "create", "unauthorized");
		assertError(anonymous.call("{\"action\":\"complete\",\"id\":\"" + UUID.randomUUID() + "\"}"), "complete",
				"unauthorized");
		assertError(anonymous.call("{\"action\":\"clear\"}"), "clear", "unauthorized");
		subscriber.assertNoMessage(QUIET);
		assertThat(list(subscriber)).isEmpty();
	}

	@Test
	void subscribeAnswersSubscribed() {
		WebSocketTestClient client = connectAs("alice");
		assertThat(client.call("{\"action\":\"subscribe\"}").toString())
			.isEqualTo("{\"action\":\"subscribe\",\"subscribed\":true}");
	}

	@Test
	void createAnswersTheTodoAndPublishesItToEverySubscriber() throws Exception {
		WebSocketTestClient alice = connectAs("alice");
		subscribe(alice);
		WebSocketTestClient bob = connect();
		auth(bob, "bob");
		subscribe(bob);
		WebSocketTestClient notSubscribed = connectAs("admin");
		alice.send("{\"action\":\"create\",\"text\":\"Buy milk\"}");
		JsonNode ownEvent = alice.receive();
		JsonNode reply = alice.receive();
		assertThat(reply.propertyNames()).containsExactly("action", "todo");
		assertThat(reply.path("action").stringValue()).isEqualTo("create");
		JsonNode todo = reply.path("todo");
		String id = todo.path("id").stringValue();
		assertThat(UUID.fromString(id).toString()).isEqualTo(id);
		assertThat(todo).isEqualTo(todo(id, "Buy milk", false, "alice"));
		JsonNode event = SampleLogin
			.json("{\"topic\":\"todos:updated\",\"event\":\"created\",\"todo\":" + todo.toString() + "}");
		assertThat(ownEvent).isEqualTo(event);
		assertThat(bob.receive()).isEqualTo(event);
		notSubscribed.assertNoMessage(QUIET);
		alice.assertNoMessage(Duration.ZERO);
		bob.assertNoMessage(Duration.ZERO);
		bob.send("{\"action\":\"create\",\"text\":\"Walk the dog\"}");
		JsonNode bobsOwnEvent = bob.receive();
		JsonNode second = bob.receive().path("todo");
		assertThat(second.path("owner").stringValue()).isEqualTo("bob");
		assertThat(bobsOwnEvent.path("todo")).isEqualTo(second);
		assertThat(second.path("id").stringValue()).isNotEqualTo(id);
		assertThat(alice.receive().path("todo")).isEqualTo(second);
	}

	@Test
	void listIncludesTheCreatedTodosOldestFirst() {
		WebSocketTestClient alice = connectAs("alice");
		WebSocketTestClient bob = connectAs("bob");
		JsonNode first = create(alice, "first");
		JsonNode second = create(bob, "second");
		JsonNode third = create(alice, "third");
		JsonNode reply = bob.call("{\"action\":\"list\"}");
		assertThat(reply.propertyNames()).containsExactly("action", "todos");
		assertThat(reply.path("action").stringValue()).isEqualTo("list");
		assertThat(reply.path("todos").values()).containsExactly(first, second, third);
	}

	@Test
	void completeMarksTheTodoDoneAndPublishesCompleted() throws Exception {
		WebSocketTestClient alice = connectAs("alice");
		WebSocketTestClient bob = connectAs("bob");
		JsonNode todo = create(alice, "Finish the report");
		subscribe(alice);
		String id = todo.path("id").stringValue();
		JsonNode done = todo(id, "Finish the report", true, "alice");
		bob.send("{\"action\":\"complete\",\"id\":\"" + id + "\"}");
		assertThat(bob.receive())
			.isEqualTo(SampleLogin.json("{\"action\":\"complete\",\"todo\":" + done.toString() + "}"));
		assertThat(alice.receive())
			.isEqualTo(SampleLogin.json("{\"topic\":\"todos:updated\",\"event\":\"completed\",\"todo\":" + done + "}"));
		bob.assertNoMessage(QUIET);
		assertThat(list(alice)).containsExactly(done);
	}

	@Test
	void completingAnUnknownTodoIsNotFound() {
		WebSocketTestClient alice = connectAs("alice");
		create(alice, "exists");
		assertError(alice.call("{\"action\":\"complete\",\"id\":\"" + UUID.randomUUID() + "\"}"), "complete",
				"not_found");
		assertError(alice.call("{\"action\":\"complete\",\"id\":\"no-such-todo\",\"correlationId\":\"nf\"}"),
				"complete", "not_found");
		assertValidationFailed(alice.call("{\"action\":\"complete\",\"id\":\"\"}"), "complete", "id");
		assertValidationFailed(alice.call("{\"action\":\"complete\"}"), "complete", "id");
		assertThat(list(alice)).hasSize(1);
		assertThat(list(alice).get(0).path("completed").booleanValue()).isFalse();
	}

	@Test
	void clearNeedsTheAdminRole() {
		WebSocketTestClient bob = connectAs("bob");
		create(bob, "one");
		create(bob, "two");
		assertError(bob.call("{\"action\":\"clear\"}"), "clear", "forbidden");
		assertThat(list(bob)).hasSize(2);
		WebSocketTestClient admin = connect();
		auth(admin, "admin");
		assertThat(admin.call("{\"action\":\"clear\"}").toString()).isEqualTo("{\"action\":\"clear\",\"cleared\":2}");
		assertThat(list(bob)).isEmpty();
		assertThat(admin.call("{\"action\":\"clear\"}").toString()).isEqualTo("{\"action\":\"clear\",\"cleared\":0}");
	}

	@Test
	void textMustBeOneToFiveHundredCharacters() {
		WebSocketTestClient alice = connectAs("alice");
		assertValidationFailed(alice.call("{\"action\":\"create\",\"text\":\"\"}"), "create", "text");
		assertValidationFailed(alice.call("{\"action\":\"create\",\"text\":\"" + "t".repeat(501) + "\"}"), "create",
				"text");
		assertValidationFailed(alice.call("{\"action\":\"create\"}"), "create", "text");
		assertThat(list(alice)).isEmpty();
		String longest = "\u00e9".repeat(500);
		assertThat(create(alice, longest).path("text").stringValue()).isEqualTo(longest);
		assertThat(list(alice)).hasSize(1);
	}

	private List<JsonNode> list(WebSocketTestClient client) {
		JsonNode reply = client.call("{\"action\":\"list\"}");
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo("list");
		return List.copyOf(reply.path("todos").values());
	}

	private static JsonNode create(WebSocketTestClient client, String text) {
		JsonNode reply = client.call("{\"action\":\"create\",\"text\":\"" + text + "\"}");
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo("create");
		assertThat(reply.path("todo").path("text").stringValue()).isEqualTo(text);
		return reply.path("todo");
	}

	private static void subscribe(WebSocketTestClient client) {
		assertThat(client.call("{\"action\":\"subscribe\"}").path("subscribed").booleanValue()).isTrue();
	}

	private static JsonNode todo(String id, String text, boolean completed, String owner) {
		return SampleLogin.json("{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"completed\":" + completed
				+ ",\"owner\":\"" + owner + "\"}");
	}

	private void auth(WebSocketTestClient client, String user) {
		JsonNode reply = client.call("{\"action\":\"auth\",\"token\":\"" + SampleLogin.token(this.port, user) + "\"}");
		assertThat(reply.path("userId").stringValue()).as(reply.toString()).isEqualTo(user);
	}

	private WebSocketTestClient connect() {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/todos");
		this.clients.add(client);
		return client;
	}

	private WebSocketTestClient connectAs(String user) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/todos",
				Map.of("Authorization", "Bearer " + SampleLogin.token(this.port, user)));
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
