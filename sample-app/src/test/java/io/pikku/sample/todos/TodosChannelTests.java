package io.pikku.sample.todos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
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

	@Autowired
	ChannelTester tester;

	@BeforeEach
	void clearAsAdmin() {
		try (ChannelTester.Connection admin = this.tester.connect("/todos")) {
			auth(admin, "admin");
			admin.action("clear")
				.execute()
				.satisfies((reply) -> assertThat(reply.path("cleared").isIntegralNumber()).isTrue());
		}
	}

	@Test
	void authLogsTheConnectionInLikeAuthenticate() {
		ChannelTester.Connection client = this.tester.connect("/todos");
		client.action("auth")
			.input(Map.of("token", SampleLogin.token(this.port, "alice")))
			.execute()
			.isEqualToJson("{\"action\":\"auth\",\"authenticated\":true,\"userId\":\"alice\"}");
		assertThat(create(client, "mine").path("owner").stringValue()).isEqualTo("alice");
	}

	@Test
	void authWithABadTokenIsUnauthorizedAndTheConnectionStaysOpen() {
		ChannelTester.Connection client = this.tester.connect("/todos");
		client.action("auth").input(Map.of("token", "not-a-jwt")).execute().expectError("unauthorized");
		client.action("list").execute().expectError("unauthorized");
		client.action("auth")
			.input(Map.of("token", ""))
			.execute()
			.expectError("validation_failed")
			.hasDetailField("token");
		assertThat(client.isClosed()).isFalse();
		auth(client, "bob");
		client.action("list").execute().satisfies((reply) -> assertThat(reply.path("todos").isArray()).isTrue());
	}

	@Test
	void everyActionButAuthNeedsASession() {
		ChannelTester.Connection anonymous = this.tester.connect("/todos");
		ChannelTester.Connection subscriber = connectAs("alice");
		subscribe(subscriber);
		anonymous.action("subscribe").execute().expectError("unauthorized");
		anonymous.action("list").execute().expectError("unauthorized");
		anonymous.action("create").input(Map.of("text", "sneaky")).execute().expectError("unauthorized");
		anonymous.action("complete")
			.input(Map.of("id", UUID.randomUUID().toString()))
			.execute()
			.expectError("unauthorized");
		anonymous.action("clear").execute().expectError("unauthorized");
		subscriber.expectNoMessage(QUIET);
		assertThat(list(subscriber)).isEmpty();
	}

	@Test
	void subscribeAnswersSubscribed() {
		connectAs("alice").action("subscribe")
			.execute()
			.isEqualToJson("{\"action\":\"subscribe\",\"subscribed\":true}");
	}

	@Test
	void createAnswersTheTodoAndPublishesItToEverySubscriber() {
		ChannelTester.Connection alice = connectAs("alice");
		subscribe(alice);
		ChannelTester.Connection bob = this.tester.connect("/todos");
		auth(bob, "bob");
		subscribe(bob);
		ChannelTester.Connection notSubscribed = connectAs("admin");
		// raw frames, to see that the delivery of its own publish comes before the reply
		alice.send("{\"action\":\"create\",\"text\":\"Buy milk\"}");
		JsonNode ownEvent = alice.nextMessage().json();
		JsonNode reply = alice.nextMessage().json();
		assertThat(reply.propertyNames()).containsExactly("action", "todo");
		assertThat(reply.path("action").stringValue()).isEqualTo("create");
		JsonNode todo = reply.path("todo");
		String id = todo.path("id").stringValue();
		assertThat(UUID.fromString(id).toString()).isEqualTo(id);
		assertThat(todo).isEqualTo(todo(id, "Buy milk", false, "alice"));
		JsonNode event = SampleLogin
			.json("{\"topic\":\"todos:updated\",\"event\":\"created\",\"todo\":" + todo.toString() + "}");
		assertThat(ownEvent).isEqualTo(event);
		assertThat(bob.nextMessage().json()).isEqualTo(event);
		notSubscribed.expectNoMessage(QUIET);
		alice.expectNoMessage(Duration.ZERO);
		bob.expectNoMessage(Duration.ZERO);
		bob.send("{\"action\":\"create\",\"text\":\"Walk the dog\"}");
		JsonNode bobsOwnEvent = bob.nextMessage().json();
		JsonNode second = bob.nextMessage().json().path("todo");
		assertThat(second.path("owner").stringValue()).isEqualTo("bob");
		assertThat(bobsOwnEvent.path("todo")).isEqualTo(second);
		assertThat(second.path("id").stringValue()).isNotEqualTo(id);
		assertThat(alice.nextMessage().json().path("todo")).isEqualTo(second);
	}

	@Test
	void listIncludesTheCreatedTodosOldestFirst() {
		ChannelTester.Connection alice = connectAs("alice");
		ChannelTester.Connection bob = connectAs("bob");
		JsonNode first = create(alice, "first");
		JsonNode second = create(bob, "second");
		JsonNode third = create(alice, "third");
		JsonNode reply = bob.action("list").execute().expectSuccess().json();
		assertThat(reply.propertyNames()).containsExactly("action", "todos");
		assertThat(reply.path("action").stringValue()).isEqualTo("list");
		assertThat(reply.path("todos").values()).containsExactly(first, second, third);
	}

	@Test
	void completeMarksTheTodoDoneAndPublishesCompleted() {
		ChannelTester.Connection alice = connectAs("alice");
		ChannelTester.Connection bob = connectAs("bob");
		JsonNode todo = create(alice, "Finish the report");
		subscribe(alice);
		String id = todo.path("id").stringValue();
		JsonNode done = todo(id, "Finish the report", true, "alice");
		bob.action("complete")
			.input(Map.of("id", id))
			.execute()
			.isEqualToJson("{\"action\":\"complete\",\"todo\":" + done + "}");
		alice.nextMessage()
			.isEqualToJson("{\"topic\":\"todos:updated\",\"event\":\"completed\",\"todo\":" + done + "}");
		bob.expectNoMessage(QUIET);
		assertThat(list(alice)).containsExactly(done);
	}

	@Test
	void completingAnUnknownTodoIsNotFound() {
		ChannelTester.Connection alice = connectAs("alice");
		create(alice, "exists");
		alice.action("complete").input(Map.of("id", UUID.randomUUID().toString())).execute().expectError("not_found");
		alice.action("complete")
			.input(Map.of("id", "no-such-todo"))
			.correlationId("nf")
			.execute()
			.expectError("not_found");
		alice.action("complete")
			.input(Map.of("id", ""))
			.execute()
			.expectError("validation_failed")
			.hasDetailField("id");
		alice.action("complete").execute().expectError("validation_failed").hasDetailField("id");
		assertThat(list(alice)).hasSize(1);
		assertThat(list(alice).get(0).path("completed").booleanValue()).isFalse();
	}

	@Test
	void clearNeedsTheAdminRole() {
		ChannelTester.Connection bob = connectAs("bob");
		create(bob, "one");
		create(bob, "two");
		bob.action("clear").execute().expectError("forbidden");
		assertThat(list(bob)).hasSize(2);
		ChannelTester.Connection admin = this.tester.connect("/todos");
		auth(admin, "admin");
		admin.action("clear").execute().isEqualToJson("{\"action\":\"clear\",\"cleared\":2}");
		assertThat(list(bob)).isEmpty();
		admin.action("clear").execute().isEqualToJson("{\"action\":\"clear\",\"cleared\":0}");
	}

	@Test
	void textMustBeOneToFiveHundredCharacters() {
		ChannelTester.Connection alice = connectAs("alice");
		alice.action("create")
			.input(Map.of("text", ""))
			.execute()
			.expectError("validation_failed")
			.hasDetailField("text");
		alice.action("create")
			.input(Map.of("text", "t".repeat(501)))
			.execute()
			.expectError("validation_failed")
			.hasDetailField("text");
		alice.action("create").execute().expectError("validation_failed").hasDetailField("text");
		assertThat(list(alice)).isEmpty();
		String longest = "\u00e9".repeat(500);
		assertThat(create(alice, longest).path("text").stringValue()).isEqualTo(longest);
		assertThat(list(alice)).hasSize(1);
	}

	private static List<JsonNode> list(ChannelTester.Connection client) {
		return List.copyOf(client.action("list")
			.execute()
			.path("$.action")
			.isEqualTo("list")
			.path("$.todos")
			.entityList(JsonNode.class)
			.get());
	}

	private static JsonNode create(ChannelTester.Connection client, String text) {
		return client.action("create")
			.input(Map.of("text", text))
			.execute()
			.path("$.action")
			.isEqualTo("create")
			.path("$.todo.text")
			.isEqualTo(text)
			.path("$.todo")
			.entity(JsonNode.class)
			.get();
	}

	private static void subscribe(ChannelTester.Connection client) {
		client.action("subscribe").execute().path("$.subscribed").isEqualTo(true);
	}

	private static JsonNode todo(String id, String text, boolean completed, String owner) {
		return SampleLogin.json("{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"completed\":" + completed
				+ ",\"owner\":\"" + owner + "\"}");
	}

	private void auth(ChannelTester.Connection client, String user) {
		client.action("auth")
			.input(Map.of("token", SampleLogin.token(this.port, user)))
			.execute()
			.path("$.userId")
			.isEqualTo(user);
	}

	private ChannelTester.Connection connectAs(String user) {
		return this.tester.mutate().bearerToken(SampleLogin.token(this.port, user)).build().connect("/todos");
	}

}
