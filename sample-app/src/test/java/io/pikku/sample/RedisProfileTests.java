package io.pikku.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pikku.test.TestRedis;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the sample under the {@code redis} profile, sharing one real Redis:
 * rooms, presence and todos span both.
 */
class RedisProfileTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	private static TestRedis redis;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	private static int portA;

	private static int portB;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startRedisAndTwoInstances() {
		redis = TestRedis.start();
		instanceA = start();
		instanceB = start();
		portA = port(instanceA);
		portB = port(instanceB);
		assertThat(portA).isNotEqualTo(portB);
	}

	private static ConfigurableApplicationContext start() {
		// As command-line arguments: default properties
		// (SpringApplicationBuilder.properties)
		// rank below application.yml, whose redis profile sets the host and port itself
		return new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port());
	}

	private static int port(ConfigurableApplicationContext context) {
		Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
		assertThat(port).isNotNull().isPositive();
		return port;
	}

	@AfterAll
	static void stopInstancesAndRedis() {
		try {
			if (instanceA != null) {
				instanceA.close();
			}
			if (instanceB != null) {
				instanceB.close();
			}
		}
		finally {
			if (redis != null) {
				redis.close();
			}
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	@Test
	void chatMessagesCrossInstancesAndOnlyReachTheirRoom() throws Exception {
		WebSocketTestClient alice = join(portA, "crossing", "alice");
		WebSocketTestClient bob = join(portB, "crossing", "bob");
		WebSocketTestClient elsewhere = join(portB, "crossing-other", "admin");
		JsonNode sent = alice.call("{\"action\":\"sendMessage\",\"message\":\"from A\"}");
		assertThat(sent.path("userId").stringValue()).isEqualTo("alice");
		assertThat(bob.receive().toString()).isEqualTo("{\"topic\":\"room:crossing\",\"type\":\"message\","
				+ "\"message\":\"from A\",\"userId\":\"alice\",\"timestamp\":" + sent.path("timestamp").longValue()
				+ "}");
		JsonNode answer = bob.call("{\"action\":\"sendMessage\",\"message\":\"from B\"}");
		assertThat(answer.path("userId").stringValue()).isEqualTo("bob");
		JsonNode delivered = alice.receive();
		assertThat(delivered.path("message").stringValue()).isEqualTo("from B");
		assertThat(delivered.path("userId").stringValue()).isEqualTo("bob");
		alice.assertNoMessage(QUIET);
		bob.assertNoMessage(Duration.ZERO);
		elsewhere.assertNoMessage(Duration.ZERO);
	}

	@Test
	void whoListsTheUsersOfTheRoomOnEveryInstance() {
		WebSocketTestClient alice = join(portA, "presence", "alice");
		WebSocketTestClient bob = join(portB, "presence", "bob");
		join(portB, "presence-other", "admin");
		join(portA, "presence", null);
		WebSocketTestClient admin = join(portA, "presence", "admin");
		assertThat(users(alice)).containsExactly("admin", "alice", "bob");
		assertThat(users(bob)).containsExactly("admin", "alice", "bob");
		alice.close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(users(bob)).containsExactly("admin", "bob"));
		assertThat(users(admin)).containsExactly("admin", "bob");
	}

	@Test
	void todosAreSharedAcrossInstances() {
		WebSocketTestClient alice = connectTodos(portA, "alice");
		WebSocketTestClient bob = connectTodos(portB, "bob");
		assertThat(bob.call("{\"action\":\"subscribe\"}").toString())
			.isEqualTo("{\"action\":\"subscribe\",\"subscribed\":true}");
		JsonNode created = alice.call("{\"action\":\"create\",\"text\":\"Shared across instances\"}");
		JsonNode todo = created.path("todo");
		assertThat(todo.path("owner").stringValue()).isEqualTo("alice");
		assertThat(todo.path("completed").booleanValue()).isFalse();
		assertThat(bob.receive())
			.isEqualTo(SampleLogin.json("{\"topic\":\"todos:updated\",\"event\":\"created\",\"todo\":" + todo + "}"));
		assertThat(bob.call("{\"action\":\"list\"}").path("todos").values()).contains(todo);
		String id = todo.path("id").stringValue();
		assertThat(alice.call("{\"action\":\"subscribe\"}").path("subscribed").booleanValue()).isTrue();
		bob.send("{\"action\":\"complete\",\"id\":\"" + id + "\"}");
		// The reply and the delivery of bob's own publish, in either order across Redis
		List<JsonNode> onB = List.of(bob.receive(), bob.receive());
		JsonNode completedEvent = onB.stream().filter((message) -> message.has("event")).findFirst().orElseThrow();
		JsonNode completedReply = onB.stream().filter((message) -> message.has("action")).findFirst().orElseThrow();
		assertThat(completedEvent.path("event").stringValue()).isEqualTo("completed");
		assertThat(completedReply.path("action").stringValue()).isEqualTo("complete");
		assertThat(completedReply.path("todo")).isEqualTo(completedEvent.path("todo"));
		assertThat(completedReply.path("todo").path("completed").booleanValue()).isTrue();
		JsonNode seenOnA = alice.receive();
		assertThat(seenOnA).isEqualTo(completedEvent);
		assertThat(seenOnA.path("todo").path("id").stringValue()).isEqualTo(id);
		assertThat(alice.call("{\"action\":\"list\"}").path("todos").values())
			.filteredOn((listed) -> id.equals(listed.path("id").stringValue()))
			.singleElement()
			.satisfies((listed) -> assertThat(listed.path("completed").booleanValue()).isTrue());
	}

	private List<String> users(WebSocketTestClient client) {
		JsonNode reply = client.call("{\"action\":\"who\"}");
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo("who");
		assertThat(reply.has("error")).as(reply.toString()).isFalse();
		return reply.path("users").values().stream().map(JsonNode::stringValue).toList();
	}

	private WebSocketTestClient join(int port, String room, String user) {
		Map<String, String> headers = (user != null)
				? Map.of("Authorization", "Bearer " + SampleLogin.token(portA, user)) : Map.of();
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + port + "/chat/" + room, headers);
		this.clients.add(client);
		assertThat(client.receive().path("welcome").stringValue()).isEqualTo("Welcome to " + room + "!");
		return client;
	}

	private WebSocketTestClient connectTodos(int port, String user) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + port + "/todos",
				Map.of("Authorization", "Bearer " + SampleLogin.token(portB, user)));
		this.clients.add(client);
		return client;
	}

}
