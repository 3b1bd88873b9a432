package io.pikku.sample.todos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import io.pikku.client.PikkuAction;
import io.pikku.client.PikkuCallException;
import io.pikku.client.PikkuClient;
import io.pikku.client.PikkuClientProxyFactory;
import io.pikku.client.PikkuConnection;
import io.pikku.client.PikkuHandshakeException;
import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.sample.todos.TodosChannelConfiguration.NewTodo;
import io.pikku.sample.todos.TodosChannelConfiguration.Subscribed;
import io.pikku.sample.todos.TodosChannelConfiguration.TodoEvent;
import io.pikku.sample.todos.TodosChannelConfiguration.TodoId;
import io.pikku.sample.todos.TodosChannelConfiguration.TodoList;
import io.pikku.sample.todos.TodosChannelConfiguration.TodoReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code todos} channel called from Java as another service would: the Java client
 * with a declarative interface, a bearer token at the handshake, typed errors and
 * deliveries.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class TodosClientTests {

	@LocalServerPort
	int port;

	@Autowired
	PikkuClient.Builder builder;

	private final List<PikkuConnection> connections = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.connections.forEach(PikkuConnection::close);
	}

	@Test
	void aDeclarativeClientCreatesListsAndCompletesTodos() {
		Todos todos = todosAs("alice");
		TodoReply created = todos.create(new NewTodo("Call from Java")).join();
		assertThat(created.todo().owner()).isEqualTo("alice");
		assertThat(created.todo().completed()).isFalse();
		assertThat(todos.list().todos()).contains(created.todo());
		assertThat(todos.complete(new TodoId(created.todo().id())).todo().completed()).isTrue();
	}

	@Test
	void errorsAreTypedExceptions() {
		Todos bob = todosAs("bob");
		assertThatExceptionOfType(PikkuCallException.class).isThrownBy(() -> bob.complete(new TodoId("no-such-todo")))
			.satisfies((error) -> assertThat(error.getCode()).isEqualTo("not_found"));
		assertThatExceptionOfType(PikkuCallException.class).isThrownBy(bob::clear)
			.satisfies((error) -> assertThat(error.getCode()).isEqualTo("forbidden"));
		assertThat(bob.create(new NewTodo(""))).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(PikkuCallException.class, (error) -> {
				assertThat(error.getCode()).isEqualTo("validation_failed");
				assertThat(error.getDetails().get(0).path("field").stringValue()).isEqualTo("text");
			});
	}

	@Test
	void deliveriesReachTheTopicHandler() {
		PikkuConnection alice = connect(client("alice").build());
		List<TodoEvent> events = new CopyOnWriteArrayList<>();
		alice.onTopic(TodosChannelConfiguration.TOPIC, TodoEvent.class, events::add);
		assertThat(PikkuClientProxyFactory.of(alice).createClient(Todos.class).subscribe().subscribed()).isTrue();
		TodoReply created = todosAs("bob").create(new NewTodo("Seen by alice")).join();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events).contains(new TodoEvent("created", created.todo())));
	}

	@Test
	void theAccessTokenQueryParameterServesClientsThatCannotSetHeaders() {
		PikkuConnection connection = connect(client("admin").accessTokenQueryParameter().build());
		assertThat(connection.call("list", null, TodoList.class).join().todos()).isNotNull();
	}

	@Test
	void aBadTokenIsRefusedAtTheHandshakeWith401() {
		PikkuClient client = this.builder.baseUri("ws://localhost:" + this.port).bearerToken("not-a-jwt").build();
		assertThat(client.connect("/todos")).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(PikkuHandshakeException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(401))
			.withMessageContaining("refused with HTTP 401");
	}

	private Todos todosAs(String user) {
		return PikkuClientProxyFactory.of(connect(client(user).build())).createClient(Todos.class);
	}

	private PikkuClient.Builder client(String user) {
		return this.builder.baseUri("ws://localhost:" + this.port).bearerToken(SampleLogin.token(this.port, user));
	}

	private PikkuConnection connect(PikkuClient client) {
		PikkuConnection connection = client.connect("/todos").join();
		this.connections.add(connection);
		return connection;
	}

	/**
	 * The todos channel as a Java interface.
	 */
	interface Todos {

		CompletableFuture<TodoReply> create(NewTodo todo);

		TodoList list();

		TodoReply complete(TodoId id);

		Subscribed subscribe();

		@PikkuAction("clear")
		Map<String, Object> clear();

	}

}
