package io.pikku.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.eventhub.EventHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The Java client against a real server on a random port (servlet stack; the reactive one
 * in {@link ReactivePikkuClientIntegrationTests}).
 */
@SpringBootTest(classes = ClientTestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pikku.max-text-message-size=2MB", "pikku.send-buffer-limit=4MB" })
class PikkuClientIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	EventHub eventHub;

	@Autowired
	ChannelRuntime runtime;

	@Autowired
	PikkuClient.Builder builder;

	private final List<PikkuConnection> connections = new ArrayList<>();

	@AfterEach
	void closeConnections() {
		this.connections.forEach(PikkuConnection::close);
	}

	private PikkuClient.Builder client() {
		return this.builder.baseUri("ws://localhost:" + this.port);
	}

	private PikkuConnection connect(PikkuClient client, String room) {
		PikkuConnection connection = client.connect("/calls/{room}", Map.of("room", room)).join();
		this.connections.add(connection);
		return connection;
	}

	private PikkuConnection connect(String room) {
		return connect(client().build(), room);
	}

	@Test
	void aCallAnswersItsReplyBoundToTheType() {
		PikkuConnection connection = connect("calls");
		assertThat(connection.call("echo", new Text("hello"), Text.class).join()).isEqualTo(new Text("hello"));
		assertThat(connection.call("add", Map.of("a", 2, "b", 3), Integer.class).join()).isEqualTo(5);
		assertThat(connection.call("echo", Map.of("text", "tree")).join().toString()).isEqualTo("{\"text\":\"tree\"}");
		assertThat(connection.call("echo", new Text("generic"), new TypeReference<Map<String, String>>() {
		}).join()).containsExactly(Map.entry("text", "generic"));
	}

	@Test
	void theWelcomeOfOnConnectGoesToTheMessageHandlerEvenWhenAddedAfterConnecting() {
		PikkuConnection connection = connect("welcome");
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		connection.onMessage(messages::add);
		await().atMost(WAIT).untilAsserted(() -> assertThat(messages).hasSize(1));
		assertThat(messages.get(0).toString()).isEqualTo("{\"welcome\":\"welcome\"}");
	}

	@Test
	void theAnswersOfTheDefaultHandlerGoToTheMessageHandler() {
		PikkuConnection connection = connect("default");
		List<String> messages = new CopyOnWriteArrayList<>();
		connection.onMessage((message) -> messages.add(message.toString()));
		connection.send("{\"text\":\"no action\"}").join();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(messages).containsExactly("{\"welcome\":\"default\"}",
					"{\"heard\":\"no action\"}"));
	}

	@Test
	void theQueryOfConnectIsOpeningDataOfTheChannel() {
		PikkuConnection connection = client().build()
			.connect("/calls/{room}", Map.of("room", "query"), Map.of("greeting", "hi & bye=1"))
			.join();
		this.connections.add(connection);
		assertThat(connection.call("openingData", null, ClientTestChannels.Room.class).join())
			.isEqualTo(new ClientTestChannels.Room("query", "hi & bye=1"));
	}

	@Test
	void theHeadersOfTheBuilderAreSentWithTheUpgrade() {
		// by default the server refuses an Origin other than its own
		assertThat(client().header("Origin", "https://elsewhere.example")
			.build()
			.connect("/calls/{room}", Map.of("room", "origin"))).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuHandshakeException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(403));
		PikkuConnection sameOrigin = connect(client().header("Origin", "http://localhost:" + this.port).build(),
				"origin");
		assertThat(sameOrigin.call("echo", new Text("same origin"), Text.class).join().text()).isEqualTo("same origin");
	}

	@Test
	void concurrentCallsOfOneActionOnOneConnectionAreToldApart() {
		PikkuConnection connection = connect("concurrent");
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<CompletableFuture<Text>>> calls = IntStream.range(0, 400)
				.mapToObj((i) -> CompletableFuture
					.supplyAsync(() -> connection.call("echo", new Text("call " + i), Text.class), threads))
				.toList();
			for (int i = 0; i < calls.size(); i++) {
				assertThat(calls.get(i).join().join()).isEqualTo(new Text("call " + i));
			}
		}
		finally {
			threads.shutdown();
		}
	}

	@Test
	void framesAreSentAndAnsweredInTheOrderGiven() {
		PikkuConnection connection = connect("order");
		List<String> answered = new CopyOnWriteArrayList<>();
		connection.onMessage((message) -> answered.add(message.path("text").asString("welcome")));
		List<CompletableFuture<Void>> sends = IntStream.range(0, 300)
			.mapToObj((i) -> connection
				.send("{\"action\":\"echo\",\"text\":\"" + i + "\",\"correlationId\":\"raw-" + i + "\"}"))
			.toList();
		sends.forEach(CompletableFuture::join);
		await().atMost(WAIT).untilAsserted(() -> assertThat(answered).hasSize(301));
		assertThat(answered).containsExactlyElementsOf(java.util.stream.Stream
			.concat(java.util.stream.Stream.of("welcome"), IntStream.range(0, 300).mapToObj(Integer::toString))
			.toList());
	}

	@Test
	void anErrorReplyFailsTheCallWithItsCodeMessageAndDetails() {
		PikkuConnection connection = connect("errors");
		assertThat(connection.call("fail", new Text("quota_exceeded"), Text.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuCallException.class, (error) -> {
				assertThat(error.getAction()).isEqualTo("fail");
				assertThat(error.getCode()).isEqualTo("quota_exceeded");
				assertThat(error.getErrorMessage()).isEqualTo("Failed on purpose");
				assertThat(error.getDetails().toString()).isEqualTo("{\"why\":\"a test\"}");
			});
		assertThat(connection.call("echo", new Text(""), Text.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuCallException.class, (error) -> {
				assertThat(error.getCode()).isEqualTo("validation_failed");
				assertThat(error.getDetails().get(0).path("field").stringValue()).isEqualTo("text");
			});
		assertThat(connection.call("shout", null, Text.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuCallException.class,
					(error) -> assertThat(error.getCode()).isEqualTo("unknown_action"));
		assertThat(connection.call("whoami", null, JsonNode.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuCallException.class,
					(error) -> assertThat(error.getCode()).isEqualTo("unauthorized"));
		assertThat(connection.call("echo", new Text("still open"), Text.class).join().text()).isEqualTo("still open");
	}

	@Test
	void aReplyThatDoesNotBindFailsTheCallWithTheReply() {
		PikkuConnection connection = connect("binding");
		assertThat(connection.call("echo", new Text("words"), Number.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isExactlyInstanceOf(PikkuClientException.class)
			.withMessageContaining("The reply to 'echo' does not bind to java.lang.Number")
			.withMessageContaining("\"text\":\"words\"");
	}

	@Test
	void anInputThatIsNotAnObjectIsRefusedBeforeSending() {
		PikkuConnection connection = connect("inputs");
		assertThatIllegalArgumentException().isThrownBy(() -> connection.call("echo", "text", Text.class))
			.withMessageContaining("The input of 'echo' must be written as a JSON object, not string");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> connection.call("echo", Map.of("correlationId", "mine"), Text.class))
			.withMessageContaining("has a field 'correlationId'");
	}

	@Test
	void topicDeliveriesGoToTheirHandlersBoundToTheType() {
		PikkuConnection connection = connect("topics");
		List<Map<String, Object>> news = new CopyOnWriteArrayList<>();
		List<Integer> numbers = new CopyOnWriteArrayList<>();
		connection.onTopic("news", Map.class, (delivery) -> news.add(delivery));
		connection.onTopic("numbers", Integer.class, numbers::add);
		connection.call("subscribe", Map.of("topic", "news"), JsonNode.class).join();
		connection.call("subscribe", Map.of("topic", "numbers"), JsonNode.class).join();
		this.eventHub.publish("news", null, Map.of("headline", "hi")).toCompletableFuture().join();
		this.eventHub.publish("numbers", null, 42).toCompletableFuture().join();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(news).containsExactly(Map.of("topic", "news", "headline", "hi"));
			assertThat(numbers).containsExactly(42);
		});
	}

	@Test
	void aServerSlowerThanTheTimeoutFailsTheCallAndTheConnectionStaysUsable() {
		PikkuConnection connection = connect(client().callTimeout(Duration.ofMillis(200)).build(), "slow");
		assertThat(connection.call("slow", Map.of("millis", 600), JsonNode.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PikkuCallTimeoutException.class)
			.withMessageContaining("No reply to 'slow'")
			.withMessageContaining("within 200 ms");
		await().atMost(WAIT)
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(connection.call("echo", new Text("after"), Text.class).join().text())
				.isEqualTo("after"));
		assertThat(connection.state()).isEqualTo(PikkuConnection.State.OPEN);
	}

	@Test
	void pendingCallsFailWhenTheConnectionIsLost() {
		PikkuConnection connection = connect("lost");
		CompletableFuture<JsonNode> pending = connection.call("hangAndClose", null);
		assertThat(pending).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuConnectionClosedException.class,
					(closed) -> assertThat(closed.getCloseCode()).isEqualTo(4000))
			.withMessageContaining("before the reply to 'hangAndClose'");
		assertThat(connection.closed().join().code()).isEqualTo(4000);
		assertThat(connection.state()).isEqualTo(PikkuConnection.State.CLOSED);
		assertThat(connection.call("echo", new Text("x"), Text.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PikkuConnectionClosedException.class)
			.withMessageContaining("is closed");
	}

	@Test
	void callingOnAConnectionClosedByTheClientFailsClearly() {
		PikkuConnection connection = connect("closed");
		connection.close();
		assertThat(connection.state()).isEqualTo(PikkuConnection.State.CLOSED);
		assertThat(connection.closed().join().code()).isEqualTo(1000);
		assertThat(connection.send("{}")).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PikkuConnectionClosedException.class);
	}

	@Test
	void aReconnectLogsInAndSubscribesAgain() {
		PikkuClient client = client().reconnect(ReconnectPolicy.backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
			.build();
		PikkuConnection connection = connect(client, "reconnect");
		AtomicInteger reconnects = new AtomicInteger();
		List<JsonNode> alerts = new CopyOnWriteArrayList<>();
		connection.onTopic("alerts", JsonNode.class, alerts::add);
		connection.onReconnect((reconnected) -> reconnected.call("login", new Text("alice"), JsonNode.class)
			.thenCompose((login) -> reconnected.call("subscribe", Map.of("topic", "alerts"), JsonNode.class))
			.thenRun(reconnects::incrementAndGet));
		connection.call("login", new Text("alice"), JsonNode.class).join();
		connection.call("subscribe", Map.of("topic", "alerts"), JsonNode.class).join();
		this.runtime.closeUser("alice", 1012, "restarting").toCompletableFuture().join();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(reconnects).hasValue(1);
			assertThat(connection.state()).isEqualTo(PikkuConnection.State.OPEN);
		});
		assertThat(connection.call("whoami", null).join().path("userId").stringValue()).isEqualTo("alice");
		this.eventHub.publish("alerts", null, Map.of("level", "high")).toCompletableFuture().join();
		await().atMost(WAIT).untilAsserted(() -> assertThat(alerts).hasSize(1));
		assertThat(alerts.get(0).toString()).isEqualTo("{\"topic\":\"alerts\",\"level\":\"high\"}");
		assertThat(connection.closed()).isNotDone();
	}

	@Test
	void aMessageLargerThanTheJdksBufferIsAssembledFromItsParts() {
		PikkuConnection connection = connect("big");
		assertThat(connection.call("big", Map.of("size", 1_000_000), Text.class).join().text()).hasSize(1_000_000)
			.matches("x+");
		String large = "\u00e9".repeat(300_000);
		assertThat(connection.call("echo", new Text(large), Text.class).join().text()).isEqualTo(large);
	}

	@Test
	void aRefusedUpgradeFailsTheConnectWithTheStatus() {
		PikkuClient client = client().build();
		assertThat(client.connect("/calls/{room}", Map.of("room", "Not Valid"))).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuHandshakeException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(400))
			.withMessageContaining("refused with HTTP 400");
		assertThat(client.connect("/nowhere")).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(PikkuHandshakeException.class,
					(refused) -> assertThat(refused.getStatus()).isEqualTo(404))
			.withMessageContaining("ws://localhost:" + this.port + "/nowhere");
	}

	@Test
	void aDeclarativeClientCallsTheActionsOfItsMethods() {
		PikkuConnection connection = connect("declarative");
		Calls calls = PikkuClientProxyFactory.of(connection).createClient(Calls.class);
		assertThat(calls.echo(new Text("proxied")).join()).isEqualTo(new Text("proxied"));
		assertThat(calls.sum(Map.of("a", 20, "b", 22))).isEqualTo(42);
		assertThat(calls.twice("ab")).isEqualTo("abab");
		assertThatExceptionOfType(PikkuCallException.class).isThrownBy(() -> calls.failing(new Text("not_found")))
			.satisfies((error) -> assertThat(error.getCode()).isEqualTo("not_found"));
		assertThat(calls.toString()).contains("Calls client of ws://localhost:" + this.port + "/calls/declarative");
	}

	@Test
	void aDeclarativeClientOfARouteOpensItsOwnConnectionAndClosesIt() {
		RoomCalls calls = PikkuClientProxyFactory
			.connect(client().build(), "/calls/{room}", Map.of("room", "routed"), RoomCalls.class)
			.join();
		assertThat(calls.openingData()).isEqualTo(new ClientTestChannels.Room("routed", null));
		assertThat(calls.echo(new Text("proxied")).join()).isEqualTo(new Text("proxied"));
		assertThat(calls.toString()).isEqualTo("RoomCalls client of ws://localhost:" + this.port + "/calls/routed");
		calls.close();
		assertThat(calls.echo(new Text("after close"))).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PikkuConnectionClosedException.class)
			.withMessageContaining("is closed");
	}

	@Test
	void aDeclarativeClientWithAMethodOfTwoParametersIsRefused() {
		PikkuConnection connection = connect("declarative-bad");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PikkuClientProxyFactory.of(connection).createClient(TwoInputs.class))
			.withMessage("TwoInputs.echo: an action method takes at most one parameter, the input");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PikkuClientProxyFactory.connect(client().build(), "/calls/{room}",
					Map.of("room", "declarative-bad"), TwoInputs.class))
			.withMessage("TwoInputs.echo: an action method takes at most one parameter, the input");
	}

	record Text(String text) {
	}

	interface Calls {

		CompletableFuture<Text> echo(Text input);

		@PikkuAction("add")
		int sum(Map<String, Integer> input);

		@PikkuAction("fail")
		Text failing(Text input);

		default String twice(String text) {
			return echo(new Text(text)).thenApply((reply) -> reply.text() + reply.text()).join();
		}

	}

	interface RoomCalls extends Calls, AutoCloseable {

		ClientTestChannels.Room openingData();

		@Override
		void close();

	}

	interface TwoInputs {

		CompletableFuture<Text> echo(Text input, String extra);

	}

}
