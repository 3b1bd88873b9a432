package io.pikku.channel.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelState;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.eventhub.InMemoryEventHub;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ChannelRuntime} and {@link OpenChannel}, driven without a web server
 * through a {@link RecordingConnection}.
 */
class ChannelRuntimeTests {

	private static ValidatorFactory validatorFactory;

	private static Validator validator;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void createValidator() {
		validatorFactory = Validation.buildDefaultValidatorFactory();
		validator = validatorFactory.getValidator();
	}

	@AfterAll
	static void closeValidator() {
		validatorFactory.close();
	}

	// Construction

	@Test
	void duplicateChannelNamesFailConstruction() {
		assertThatIllegalStateException()
			.isThrownBy(() -> runtime(ChannelDefinition.builder("chat", "/a").build(),
					ChannelDefinition.builder("chat", "/b").build()))
			.withMessageContaining("Duplicate channel name 'chat'")
			.withMessageContaining("/a")
			.withMessageContaining("/b");
	}

	@Test
	void routesDifferingOnlyInVariableNamesFailConstruction() {
		assertThatIllegalStateException()
			.isThrownBy(() -> runtime(ChannelDefinition.builder("one", "/a/{x}").build(),
					ChannelDefinition.builder("two", "/a/{y}").build()))
			.withMessageContaining("'one' and 'two'")
			.withMessageContaining("same route")
			.withMessageContaining("/a/{x}")
			.withMessageContaining("/a/{y}");
	}

	@Test
	void routesWithDifferentLiteralsCanCoexist() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("one", "/a/{x}").build(),
				ChannelDefinition.builder("two", "/b/{x}").build());
		assertThat(runtime.definitions()).extracting(ChannelDefinition::name).containsExactly("one", "two");
	}

	@Test
	void describesEachChannelAsTheRuntimeResolvesIt() {
		PikkuFunction<Void, String> open = PikkuFunction.builder(Void.class)
			.auth(false)
			.handler((input, context) -> "open")
			.build();
		PikkuFunction<Void, String> guarded = PikkuFunction.builder(Void.class)
			.permission("admin", (input, context) -> false)
			.handler((input, context) -> "no")
			.build();
		PikkuFunction<JsonNode, JsonNode> echo = PikkuFunction.of(JsonNode.class, (input, context) -> input);
		ChannelDefinition<?> definition = ChannelDefinition.builder("game", "/games/{game}/{seat}")
			.action("command", "stop", guarded)
			.action("join", open)
			.action("peek", open, (o) -> o.auth(true).rateLimit(1, 2))
			.onMessage(echo)
			.build();
		ChannelSettings settings = new ChannelSettings("action", "correlationId", false, 1024, 1024,
				new io.pikku.channel.RateLimit(10, 20));
		ChannelDescription channel = runtime(settings, definition).describe().get(0);
		assertThat(channel.name()).isEqualTo("game");
		assertThat(channel.definition()).isSameAs(definition);
		assertThat(channel.pathVariables()).containsExactly("game", "seat");
		assertThat(channel.routingProperties()).containsExactly("command", "action");
		assertThat(channel.auth()).isTrue();
		assertThat(channel.rateLimit()).isEqualTo(new io.pikku.channel.RateLimit(10, 20));
		assertThat(channel.actions())
			.extracting(ActionDescription::routingProperty, ActionDescription::name, ActionDescription::auth,
					ActionDescription::rateLimit)
			.containsExactly(org.assertj.core.api.Assertions.tuple("command", "stop", true, settings.rateLimit()),
					org.assertj.core.api.Assertions.tuple("action", "join", false, settings.rateLimit()),
					org.assertj.core.api.Assertions.tuple("action", "peek", true,
							new io.pikku.channel.RateLimit(1, 2)));
		assertThat(channel.actions().get(0).permissions().isEmpty()).isFalse();
		assertThat(channel.actions().get(1).permissions().isEmpty()).isTrue();
		assertThat(channel.actions().get(0).isDefaultHandler()).isFalse();
		assertThat(channel.defaultHandler()).isNotNull().satisfies((handler) -> {
			assertThat(handler.isDefaultHandler()).isTrue();
			assertThat(handler.routingProperty()).isNull();
			assertThat(handler.function()).isSameAs(echo);
			assertThat(handler.auth()).isTrue();
		});
	}

	@Test
	void malformedRouteFailsConstruction() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> runtime(ChannelDefinition.builder("one", "/a/{x").build()))
			.withMessageContaining("/a/{x");
	}

	@Test
	void actionWiredUnderTheDefaultAndTheExplicitDefaultRoutingPropertyFailsConstruction() {
		ChannelDefinition<?> definition = ChannelDefinition.builder("chat", "/chat")
			.action("ping", constant("pong"))
			.action("action", "ping", constant("pong"))
			.build();
		assertThatIllegalStateException().isThrownBy(() -> runtime(definition))
			.withMessageContaining("'chat'")
			.withMessageContaining("'ping' of routing property 'action' twice");
	}

	@Test
	void routingByTheCorrelationFieldFailsConstruction() {
		ChannelDefinition<?> definition = ChannelDefinition.builder("chat", "/chat")
			.action("correlationId", "ping", constant("pong"))
			.build();
		assertThatIllegalStateException().isThrownBy(() -> runtime(definition))
			.withMessageContaining("routes by 'correlationId', which is the correlation field");
	}

	// Routes and opening data

	@Test
	void matchReturnsTheDefinitionAndDecodedVariables() {
		ChannelDefinition<?> events = ChannelDefinition.builder("events", "/events").build();
		ChannelDefinition<?> chat = ChannelDefinition.builder("chat", "/chat/{room}").build();
		ChannelRuntime runtime = runtime(events, chat);
		ChannelRuntime.RouteMatch match = runtime.match("/chat/caf%C3%A9");
		assertThat(match).isNotNull();
		assertThat(match.definition()).isSameAs(chat);
		assertThat(match.pathVariables()).containsExactly(Map.entry("room", "café"));
		ChannelRuntime.RouteMatch literal = runtime.match("/events");
		assertThat(literal).isNotNull();
		assertThat(literal.definition()).isSameAs(events);
		assertThat(literal.pathVariables()).isEmpty();
	}

	@Test
	void matchPrefersLiteralSegmentsOverVariables() {
		ChannelDefinition<?> any = ChannelDefinition.builder("any", "/rooms/{room}").build();
		ChannelDefinition<?> lobby = ChannelDefinition.builder("lobby", "/rooms/lobby").build();
		ChannelRuntime runtime = runtime(any, lobby);
		assertThat(runtime.match("/rooms/lobby").definition()).isSameAs(lobby);
		assertThat(runtime.match("/rooms/kitchen").definition()).isSameAs(any);
	}

	@Test
	void matchReturnsNullWhenNoRouteMatches() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat/{room}").build());
		assertThat(runtime.match("/chat")).isNull();
		assertThat(runtime.match("/chat/general/")).isNull();
		assertThat(runtime.match("/other/general")).isNull();
	}

	@Test
	void definitionIsFoundByName() {
		ChannelDefinition<?> chat = ChannelDefinition.builder("chat", "/chat/{room}").build();
		ChannelRuntime runtime = runtime(chat);
		assertThat(runtime.definition("chat")).isSameAs(chat);
		assertThat(runtime.definition("other")).isNull();
		assertThat(runtime.settings()).isSameAs(ChannelSettings.DEFAULTS);
	}

	@Test
	void openingDataIsBoundIntoARecord() throws Exception {
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("chat", "/chat/{room}").openingData(Room.class).build());
		Object data = runtime.bindOpeningData("chat", Map.of("room", "general"), Map.of("lang", List.of("fi")));
		assertThat(data).isEqualTo(new Room("general", "fi"));
	}

	@Test
	void openingDataThatFailsValidationIsRefusedWithAStructuredBody() {
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("chat", "/chat/{room}").openingData(Room.class).build());
		assertThatExceptionOfType(OpeningDataException.class)
			.isThrownBy(() -> runtime.bindOpeningData("chat", Map.of("room", "Not A Room!"), Map.of()))
			.satisfies((ex) -> {
				JsonNode body = this.json.readTree(ex.getBody());
				assertThat(body.propertyNames()).containsExactly("error");
				JsonNode error = body.get("error");
				assertThat(error.get("code").stringValue()).isEqualTo("validation_failed");
				assertThat(error.get("message").stringValue()).isEqualTo("Invalid opening data");
				assertThat(error.get("details")).hasSize(1);
				assertThat(error.get("details").get(0).get("field").stringValue()).isEqualTo("room");
				assertThat(error.get("details").get(0).get("message").stringValue()).contains("[a-z0-9-]+");
			});
	}

	@Test
	void openingDataThatCannotBeBoundIsRefusedWithAStructuredBody() {
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("feed", "/feed/{room}").openingData(Page.class).build());
		assertThatExceptionOfType(OpeningDataException.class)
			.isThrownBy(
					() -> runtime.bindOpeningData("feed", Map.of("room", "general"), Map.of("limit", List.of("many"))))
			.satisfies((ex) -> {
				JsonNode error = this.json.readTree(ex.getBody()).get("error");
				assertThat(error.get("code").stringValue()).isEqualTo("validation_failed");
				assertThat(error.get("details").get(0).get("field").stringValue()).isEqualTo("limit");
			});
	}

	@Test
	void accessTokenNeverBecomesOpeningData() throws Exception {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat/{room}").build());
		Object data = runtime.bindOpeningData("chat", Map.of("room", "general"),
				Map.of("access_token", List.of("secret"), "lang", List.of("fi")));
		assertThat(data).isEqualTo(Map.of("room", "general", "lang", "fi"));
		assertThat(data.toString()).doesNotContain("secret");
	}

	@Test
	void accessTokenNeverBecomesOpeningDataOfARecord() throws Exception {
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("chat", "/chat/{room}").openingData(Credentialed.class).build());
		Object data = runtime.bindOpeningData("chat", Map.of("room", "general"),
				Map.of("access_token", List.of("secret")));
		assertThat(data).isEqualTo(new Credentialed("general", null));
	}

	@Test
	void pathVariablesWinOverQueryParametersOfTheSameName() throws Exception {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat/{room}").build(),
				ChannelDefinition.builder("typed", "/typed/{room}").openingData(Room.class).build());
		assertThat(runtime.bindOpeningData("chat", Map.of("room", "general"), Map.of("room", List.of("secret"))))
			.isEqualTo(Map.of("room", "general"));
		assertThat(runtime.bindOpeningData("typed", Map.of("room", "general"), Map.of("room", List.of("secret"))))
			.isEqualTo(new Room("general", null));
	}

	@Test
	void repeatedQueryParameterGivesItsFirstValueToMapOpeningData() throws Exception {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat/{room}").build());
		assertThat(runtime.bindOpeningData("chat", Map.of("room", "general"), Map.of("lang", List.of("fi", "sv"))))
			.isEqualTo(Map.of("room", "general", "lang", "fi"));
	}

	@Test
	void bindingOpeningDataOfAnUnknownChannelFails() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat/{room}").build());
		assertThatIllegalArgumentException().isThrownBy(() -> runtime.bindOpeningData("other", Map.of(), Map.of()))
			.withMessageContaining("'other'");
	}

	// Execution model

	@Test
	void onAConnectionWithAnExecutorOnlyNonBlockingFunctionsRunOnTheReadingThread() {
		List<String> threads = new CopyOnWriteArrayList<>();
		PikkuFunction<Void, Object> blocking = PikkuFunction.of(Void.class, (input, context) -> {
			threads.add("blocking:" + Thread.currentThread().getName());
			return Map.of("ran", "blocking");
		});
		PikkuFunction<Void, Map<String, String>> quick = PikkuFunction.builder(Void.class)
			.nonBlocking()
			.handler((input, context) -> {
				threads.add("quick:" + Thread.currentThread().getName());
				return Map.of("ran", "quick");
			})
			.build();
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").auth(false).onConnect((context) -> {
			threads.add("connect:" + Thread.currentThread().getName());
			return Map.of("welcome", true);
		})
			.onDisconnect((context) -> threads.add("disconnect:" + Thread.currentThread().getName()))
			.action("blocking", blocking)
			.action("quick", quick)
			.action("wiredQuick", blocking, (options) -> options.nonBlocking())
			.build());
		WorkerConnection connection = new WorkerConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		channel.handleText("{'action':'blocking'}".replace('\'', '"'));
		channel.handleText("{'action':'quick'}".replace('\'', '"'));
		channel.handleText("{'action':'wiredQuick'}".replace('\'', '"'));
		// Nothing ran yet: onConnect waits on the worker, and every frame waits for it.
		assertThat(threads).isEmpty();
		assertThat(connection.texts).isEmpty();
		connection.worker.runAll();
		channel.handleClosed();
		connection.worker.runAll();
		String reader = Thread.currentThread().getName();
		assertThat(threads).containsExactly("connect:worker", "blocking:worker", "quick:worker", "blocking:worker",
				"disconnect:worker");
		assertThat(messages(connection)).containsExactly(tree("{'welcome':true}"),
				tree("{'action':'blocking','ran':'blocking'}"), tree("{'action':'quick','ran':'quick'}"),
				tree("{'action':'wiredQuick','ran':'blocking'}"));
		// Once nothing is pending, a non-blocking function runs right on the reading
		// thread and a blocking one waits for the worker.
		OpenChannel second = runtime.open("chat", Map.of(), null, connection);
		connection.worker.runAll();
		threads.clear();
		second.handleText("{'action':'quick'}".replace('\'', '"'));
		assertThat(threads).containsExactly("quick:" + reader);
		second.handleText("{'action':'blocking'}".replace('\'', '"'));
		assertThat(threads).containsExactly("quick:" + reader);
		connection.worker.runAll();
		assertThat(threads).containsExactly("quick:" + reader, "blocking:worker");
	}

	@Test
	void aSubscriptionMadeWhileTheConnectionClosesIsUndone() {
		io.pikku.store.InMemoryChannelStore store = new io.pikku.store.InMemoryChannelStore();
		InMemoryEventHub eventHub = new InMemoryEventHub(this.json, store);
		ChannelRuntime runtime = ChannelRuntime.builder(List.of(ChannelDefinition.builder("chat", "/chat")
			.onConnect((context) -> eventHub.subscribe("room", context.channel().channelId()))
			.build()), this.json).eventHub(eventHub).build();
		WorkerConnection connection = new WorkerConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		channel.handleClosed();
		// onConnect runs only now, after the close: its subscription must not stay.
		connection.worker.runAll();
		assertThat(eventHub.subscribers("room").toCompletableFuture().join()).isEmpty();
	}

	@Test
	void messagesToAUserReachEachOfItsConnectionsAndNoTopicSubscriber() {
		io.pikku.store.InMemoryChannelStore store = new io.pikku.store.InMemoryChannelStore();
		InMemoryEventHub eventHub = new InMemoryEventHub(this.json, store);
		ChannelRuntime runtime = ChannelRuntime
			.builder(List.of(ChannelDefinition.builder("chat", "/chat").auth(false).build()), this.json)
			.eventHub(eventHub)
			.build();
		RecordingConnection phone = new RecordingConnection();
		RecordingConnection laptop = new RecordingConnection();
		RecordingConnection bob = new RecordingConnection();
		RecordingConnection listener = new RecordingConnection();
		runtime.open("chat", Map.of(), PikkuSession.of("alice"), phone);
		runtime.open("chat", Map.of(), PikkuSession.of("alice"), laptop);
		runtime.open("chat", Map.of(), PikkuSession.of("bob"), bob);
		OpenChannel listening = runtime.open("chat", Map.of(), null, listener);
		for (String topic : List.of("users", "runtime", "alice")) {
			eventHub.subscribe(topic, listening.id()).toCompletableFuture().join();
		}
		runtime.sendToUser("alice", Map.of("notice", "password changed")).toCompletableFuture().join();
		assertThat(phone.texts).containsExactly("{\"notice\":\"password changed\"}");
		assertThat(laptop.texts).containsExactly("{\"notice\":\"password changed\"}");
		runtime.closeUser("alice", 4001, "Signed out everywhere").toCompletableFuture().join();
		assertThat(phone.closes).containsExactly(new Close(4001, "Signed out everywhere"));
		assertThat(laptop.closes).containsExactly(new Close(4001, "Signed out everywhere"));
		assertThat(bob.texts).isEmpty();
		assertThat(bob.closes).isEmpty();
		assertThat(listener.texts).isEmpty();
		runtime.stop().toCompletableFuture().join();
		runtime.sendToUser("bob", Map.of("after", "stop")).toCompletableFuture().join();
		assertThat(bob.texts).as("a stopped runtime acts on no message to users").isEmpty();
	}

	@Test
	void aFunctionThatNamesAReservedTopicAnswersForbidden() {
		io.pikku.store.InMemoryChannelStore store = new io.pikku.store.InMemoryChannelStore();
		InMemoryEventHub eventHub = new InMemoryEventHub(this.json, store);
		PikkuFunction<JsonNode, Object> join = PikkuFunction.of(JsonNode.class,
				(input, context) -> eventHub.subscribe(input.path("topic").stringValue(), context.channel().channelId())
					.thenApply((done) -> Map.of("joined", true)));
		ChannelRuntime runtime = ChannelRuntime
			.builder(List.of(ChannelDefinition.builder("chat", "/chat").auth(false).action("join", join).build()),
					this.json)
			.eventHub(eventHub)
			.build();
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		channel.handleText("{\"action\":\"join\",\"topic\":\"pikku:users\",\"correlationId\":1}");
		channel.handleText("{\"action\":\"join\",\"topic\":\"users\"}");
		assertThat(connection.texts).containsExactly(
				"{\"action\":\"join\",\"correlationId\":1,\"error\":{\"code\":\"forbidden\","
						+ "\"message\":\"Topic names starting with 'pikku:' are reserved\"}}",
				"{\"action\":\"join\",\"joined\":true}");
	}

	// Lifecycle

	@Test
	void openRunsOnConnectAndSendsItsResult() throws Exception {
		AtomicReference<ChannelState> stateDuringConnect = new AtomicReference<>();
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("chat", "/chat/{room}").openingData(Room.class).onConnect((context) -> {
					stateDuringConnect.set(context.channel().state());
					return Map.of("welcome", "Welcome to " + context.channel().openingData().room() + "!");
				}).build());
		Object data = runtime.bindOpeningData("chat", Map.of("room", "general"), Map.of());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", data, null, connection);
		assertThat(messages(connection)).containsExactly(tree("{'welcome':'Welcome to general!'}"));
		assertThat(stateDuringConnect).hasValue(ChannelState.OPEN);
		assertThat(channel.name()).isEqualTo("chat");
		assertThat(channel.channel().channelId()).isEqualTo(channel.id());
		assertThat(channel.channel().openingData()).isEqualTo(new Room("general", null));
		assertThat(channel.channel().state()).isEqualTo(ChannelState.OPEN);
		assertThat(runtime.connection(channel.id())).isSameAs(channel.info());
		assertThat(channel.info().channelName()).isEqualTo("chat");
		assertThat(channel.info().openingData()).isEqualTo(new Room("general", null));
	}

	@Test
	void onConnectWithoutResultSendsNothing() {
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("chat", "/chat").onConnect((context) -> null).build());
		RecordingConnection connection = new RecordingConnection();
		runtime.open("chat", Map.of(), null, connection);
		assertThat(connection.texts).isEmpty();
		assertThat(connection.closes).isEmpty();
	}

	@Test
	void onConnectThatThrowsAPikkuExceptionAnswersItAndCloses() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").onConnect((context) -> {
			throw PikkuException.forbidden("Room is full");
		}).build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		assertThat(messages(connection))
			.containsExactly(tree("{'error':{'code':'forbidden','message':'Room is full'}}"));
		assertThat(connection.closes).containsExactly(new Close(1008, "forbidden"));
		assertThat(channel.channel().state()).isEqualTo(ChannelState.CLOSED);
	}

	@Test
	void onConnectThatFailsAnswersInternalAndCloses() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").onConnect((context) -> {
			throw new IllegalStateException("database password is hunter2");
		}).build());
		RecordingConnection connection = new RecordingConnection();
		runtime.open("chat", Map.of(), null, connection);
		assertThat(messages(connection))
			.containsExactly(tree("{'error':{'code':'internal','message':'Internal error'}}"));
		assertThat(connection.closes).containsExactly(new Close(1011, "internal"));
	}

	@Test
	void openAndCloseAreCounted() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").build(),
				ChannelDefinition.builder("news", "/news").build());
		assertThat(runtime.connectionCount("chat")).isZero();
		OpenChannel first = runtime.open("chat", Map.of(), null, new RecordingConnection());
		OpenChannel second = runtime.open("chat", Map.of(), null, new RecordingConnection());
		OpenChannel news = runtime.open("news", Map.of(), null, new RecordingConnection());
		assertThat(first.id()).isNotEqualTo(second.id());
		assertThat(runtime.connectionCount("chat")).isEqualTo(2);
		assertThat(runtime.connectionCount("news")).isEqualTo(1);
		assertThat(runtime.connections()).containsExactlyInAnyOrder(first.info(), second.info(), news.info());
		first.handleClosed();
		assertThat(runtime.connectionCount("chat")).isEqualTo(1);
		assertThat(runtime.connections()).containsExactlyInAnyOrder(second.info(), news.info());
		assertThat(runtime.connection(first.id())).isNull();
		first.handleClosed();
		assertThat(runtime.connectionCount("chat")).isEqualTo(1);
		second.handleClosed();
		news.handleClosed();
		assertThat(runtime.connectionCount("chat")).isZero();
		assertThat(runtime.connections()).isEmpty();
	}

	@Test
	void handleClosedRunsOnDisconnectOnceAndSendingFailsAfterwards() {
		AtomicInteger disconnects = new AtomicInteger();
		AtomicReference<Throwable> sendDuringDisconnect = new AtomicReference<>();
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").onDisconnect((context) -> {
			disconnects.incrementAndGet();
			try {
				context.channel().send(Map.of("bye", true));
			}
			catch (RuntimeException ex) {
				sendDuringDisconnect.set(ex);
			}
		}).build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		channel.handleClosed();
		channel.handleClosed();
		assertThat(disconnects).hasValue(1);
		assertThat(sendDuringDisconnect.get()).isInstanceOf(ChannelClosedException.class);
		assertThat(channel.channel().state()).isEqualTo(ChannelState.CLOSED);
		assertThatExceptionOfType(ChannelClosedException.class)
			.isThrownBy(() -> channel.channel().send(Map.of("late", true)))
			.withMessageContaining(channel.id());
		assertThatExceptionOfType(ChannelClosedException.class)
			.isThrownBy(() -> channel.channel().sendBinary(ByteBuffer.wrap(new byte[] { 1 })));
		assertThat(connection.texts).isEmpty();
		assertThat(connection.binaries).isEmpty();
	}

	@Test
	void onDisconnectThatFailsIsNotSent() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").onDisconnect((context) -> {
			throw new IllegalStateException("boom");
		}).build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		channel.handleClosed();
		assertThat(connection.texts).isEmpty();
		assertThat(runtime.connectionCount("chat")).isZero();
	}

	@Test
	void closeFromTheChannelClosesTheConnection() {
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		channel.channel().close();
		channel.channel().close(4000, "again");
		assertThat(connection.closes).containsExactly(new Close(1000, null));
		assertThat(channel.channel().state()).isEqualTo(ChannelState.CLOSED);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> channel.channel().send("late"));
	}

	@Test
	void stateIsKeptPerConnection() {
		PikkuFunction<Note, Object> remember = PikkuFunction.of(Note.class, (input, context) -> {
			context.channel().setState(input.text());
			return null;
		});
		PikkuFunction<Void, Object> recall = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("state", String.valueOf(context.channel().getState(String.class))));
		PikkuFunction<Void, Object> forget = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().clearState();
			return null;
		});
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("remember", remember)
			.action("recall", recall)
			.action("forget", forget)
			.build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		RecordingConnection otherConnection = new RecordingConnection();
		OpenChannel other = runtime.open("chat", Map.of(), null, otherConnection);
		assertThat(channel.channel().getState(String.class)).isNull();
		channel.handleText(frame("{'action':'remember','text':'milk'}"));
		channel.handleText(frame("{'action':'recall'}"));
		other.handleText(frame("{'action':'recall'}"));
		assertThat(channel.channel().getState(String.class)).isEqualTo("milk");
		channel.handleText(frame("{'action':'forget'}"));
		channel.handleText(frame("{'action':'recall'}"));
		assertThat(channel.channel().getState(String.class)).isNull();
		assertThat(messages(connection)).containsExactly(tree("{'action':'remember'}"),
				tree("{'action':'recall','state':'milk'}"), tree("{'action':'forget'}"),
				tree("{'action':'recall','state':'null'}"));
		assertThat(messages(otherConnection)).containsExactly(tree("{'action':'recall','state':'null'}"));
	}

	// Routing and replies

	@Test
	void textIsRoutedByTheRoutingPropertyWhichIsAddedBackToTheReply() {
		List<JsonNode> inputs = new ArrayList<>();
		PikkuFunction<JsonNode, Object> echo = PikkuFunction.of(JsonNode.class, (input, context) -> {
			inputs.add(input);
			return Map.of("echo", input.get("text").stringValue(), "calledAs", context.action());
		});
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).action("echo", echo).build(),
				connection);
		channel.handleText(frame("{'action':'echo','text':'hi','correlationId':'c1'}"));
		assertThat(inputs).containsExactly(tree("{'text':'hi'}"));
		assertThat(messages(connection))
			.containsExactly(tree("{'action':'echo','correlationId':'c1','echo':'hi','calledAs':'echo'}"));
	}

	@Test
	void theReplysOwnRoutingPropertyAndCorrelationWinOverFieldsOfTheSameNameInTheResult() {
		PikkuFunction<Void, Object> clash = PikkuFunction.of(Void.class,
				(input, context) -> new Clash("other", "forged", "kept"));
		PikkuFunction<Void, Object> empty = PikkuFunction.of(Void.class, (input, context) -> Map.of());
		PikkuFunction<Void, Object> plain = PikkuFunction.of(Void.class, (input, context) -> new Plain("x", 2));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("clash", clash)
			.action("empty", empty)
			.action("plain", plain)
			.build(), connection);
		channel.handleText(frame("{'action':'clash','correlationId':'c1'}"));
		channel.handleText(frame("{'action':'empty','correlationId':5}"));
		channel.handleText(frame("{'action':'plain'}"));
		channel.handleText(frame("{'action':'plain','correlationId':'c\\\"2'}"));
		assertThat(connection.texts).containsExactly(
				"{\"action\":\"clash\",\"correlationId\":\"c1\",\"value\":\"kept\"}",
				"{\"action\":\"empty\",\"correlationId\":5}", "{\"action\":\"plain\",\"name\":\"x\",\"count\":2}",
				"{\"action\":\"plain\",\"correlationId\":\"c\\\"2\",\"name\":\"x\",\"count\":2}");
	}

	record Clash(String action, String correlationId, String value) {
	}

	record Plain(String name, int count) {
	}

	@Test
	void inputIsBoundIntoTheFunctionsType() {
		PikkuFunction<Note, Object> echo = PikkuFunction.of(Note.class,
				(input, context) -> Map.of("echo", input.text()));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).action("echo", echo).build(),
				connection);
		channel.handleText(frame("{'action':'echo','text':'hi'}"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'echo','echo':'hi'}"));
	}

	@Test
	void middlewareSeesTheInputWithoutTheRoutingPropertyAndCorrelationIdHoweverTheFrameIsRead() {
		List<JsonNode> seen = new CopyOnWriteArrayList<>();
		PikkuFunction<Note, Object> echo = PikkuFunction.of(Note.class,
				(input, context) -> Map.of("echo", input.text()));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).middleware((call, next) -> {
			if (call.input() != null) {
				seen.add(call.input());
			}
			return next.proceed();
		}).action("echo", echo).build(), connection);
		channel.handleText(frame("{'action':'echo','text':'one pass','correlationId':1}"));
		channel.handleText(frame("{'correlationId':2,'text':'tree','action':'echo'}"));
		assertThat(seen).containsExactly(tree("{'text':'one pass'}"), tree("{'text':'tree'}"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'echo','correlationId':1,'echo':'one pass'}"),
				tree("{'action':'echo','correlationId':2,'echo':'tree'}"));
	}

	@Test
	void otherRoutingPropertiesAreTriedInDeclarationOrder() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("ping", constant("from action"))
			.action("command", "ping", constant("from command"))
			.action("command", "run", constant("ran"))
			.build(), connection);
		channel.handleText(frame("{'command':'ping'}"));
		channel.handleText(frame("{'action':'ping','command':'run'}"));
		channel.handleText(frame("{'action':'nope','command':'run'}"));
		assertThat(messages(connection)).containsExactly(tree("{'command':'ping','result':'from command'}"),
				tree("{'action':'ping','result':'from action'}"), tree("{'command':'run','result':'ran'}"));
	}

	@Test
	void numericCorrelationIdIsEchoedAsANumber() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", constant(Map.of())).build(),
				connection);
		channel.handleText(frame("{'action':'ping','correlationId':7}"));
		channel.handleText(frame("{'action':'ping','correlationId':'7'}"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'ping','correlationId':7}"),
				tree("{'action':'ping','correlationId':'7'}"));
	}

	@Test
	void correlationIdThatIsNeitherStringNorNumberIsRejected() {
		AtomicInteger calls = new AtomicInteger();
		PikkuFunction<Void, Object> ping = PikkuFunction.of(Void.class, (input, context) -> calls.incrementAndGet());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", ping).build(),
				connection);
		channel.handleText(frame("{'action':'ping','correlationId':{'id':1}}"));
		assertThat(calls).hasValue(0);
		JsonNode reply = messages(connection).get(0);
		assertThat(reply.get("action").stringValue()).isEqualTo("ping");
		assertThat(reply.has("correlationId")).isFalse();
		assertThat(reply.get("error").get("code").stringValue()).isEqualTo("validation_failed");
		assertThat(reply.get("error").get("details").get(0).get("field").stringValue()).isEqualTo("correlationId");
	}

	@Test
	void correlationIdIsNeverAddedToWhatTheFunctionSends() {
		PikkuFunction<Void, Object> notify = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().send(Map.of("event", "notified"));
			return Map.of("done", true);
		});
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("notify", notify).build(), connection);
		channel.handleText(frame("{'action':'notify','correlationId':'c9'}"));
		assertThat(messages(connection)).containsExactly(tree("{'event':'notified'}"),
				tree("{'action':'notify','correlationId':'c9','done':true}"));
	}

	@Test
	void nonObjectResultIsWrappedInResult() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("answer", constant(42))
			.action("list", constant(List.of("a", "b")))
			.action("text", constant("hello"))
			.build(), connection);
		channel.handleText(frame("{'action':'answer'}"));
		channel.handleText(frame("{'action':'list'}"));
		channel.handleText(frame("{'action':'text','correlationId':1}"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'answer','result':42}"),
				tree("{'action':'list','result':['a','b']}"),
				tree("{'action':'text','correlationId':1,'result':'hello'}"));
	}

	@Test
	void nullResultIsAcknowledgedWithTheRoutingPropertyOnly() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("x", constant(null)).build(), connection);
		channel.handleText(frame("{'action':'x'}"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'x'}"));
	}

	@Test
	void resultFieldsNeverReplaceTheRoutingProperty() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("x", constant(Map.of("action", "y", "value", 1)))
			.build(), connection);
		channel.handleText(frame("{'action':'x'}"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'x','value':1}"));
	}

	@Test
	void unknownActionIsAnsweredWithTheActionValueTheClientSent() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", constant("pong")).build(),
				connection);
		channel.handleText(frame("{'action':'nope','correlationId':'c1'}"));
		channel.handleText(frame("{'action':5}"));
		List<JsonNode> replies = messages(connection);
		assertThat(replies).hasSize(2);
		assertThat(replies.get(0).propertyNames()).containsExactlyInAnyOrder("action", "correlationId", "error");
		assertThat(replies.get(0).get("action")).isEqualTo(tree("'nope'"));
		assertThat(replies.get(0).get("correlationId")).isEqualTo(tree("'c1'"));
		assertThat(replies.get(0).get("error").get("code").stringValue()).isEqualTo("unknown_action");
		assertThat(replies.get(0).get("error").get("message").stringValue()).contains("nope");
		assertThat(replies.get(1).get("action")).isEqualTo(tree("5"));
		assertThat(replies.get(1).get("error").get("code").stringValue()).isEqualTo("unknown_action");
		assertThat(connection.closes).isEmpty();
	}

	@Test
	void frameWithoutRoutingPropertyAndNoDefaultHandlerIsUnknownActionWithoutActionField() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", constant("pong")).build(),
				connection);
		channel.handleText(frame("{'text':'hi','correlationId':'c2'}"));
		channel.handleText(frame("[1,2]"));
		List<JsonNode> replies = messages(connection);
		assertThat(replies).hasSize(2);
		assertThat(replies.get(0).propertyNames()).containsExactlyInAnyOrder("correlationId", "error");
		assertThat(replies.get(0).get("error").get("code").stringValue()).isEqualTo("unknown_action");
		assertThat(replies.get(1).propertyNames()).containsExactly("error");
		assertThat(replies.get(1).get("error").get("code").stringValue()).isEqualTo("unknown_action");
	}

	@Test
	void defaultHandlerReceivesFramesWithoutRoutingProperty() {
		List<JsonNode> inputs = new ArrayList<>();
		PikkuFunction<JsonNode, Object> onMessage = PikkuFunction.of(JsonNode.class, (input, context) -> {
			inputs.add(input);
			return Map.of("heard", input, "calledAs", String.valueOf(context.action()));
		});
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("ping", constant("pong"))
			.onMessage(onMessage)
			.build(), connection);
		channel.handleText(frame("{'text':'hi'}"));
		channel.handleText(frame("7"));
		channel.handleText(frame("{'action':'nope'}"));
		assertThat(inputs).containsExactly(tree("{'text':'hi'}"), tree("7"));
		List<JsonNode> replies = messages(connection);
		assertThat(replies).hasSize(3);
		assertThat(replies.get(0)).isEqualTo(tree("{'heard':{'text':'hi'},'calledAs':'null'}"));
		assertThat(replies.get(1)).isEqualTo(tree("{'heard':7,'calledAs':'null'}"));
		assertThat(replies.get(2).get("error").get("code").stringValue()).isEqualTo("unknown_action");
	}

	@Test
	void invalidJsonIsAnsweredWithInvalidJson() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", constant("pong")).build(),
				connection);
		channel.handleText("{\"action\": \"ping\"");
		channel.handleText("");
		assertThat(messages(connection)).containsExactly(
				tree("{'error':{'code':'invalid_json','message':'Message is not valid JSON'}}"),
				tree("{'error':{'code':'invalid_json','message':'Message is not valid JSON'}}"));
		assertThat(connection.closes).isEmpty();
	}

	@Test
	void invalidInputIsAnsweredWithValidationFailed() {
		AtomicInteger calls = new AtomicInteger();
		PikkuFunction<Note, Object> note = PikkuFunction.of(Note.class, (input, context) -> calls.incrementAndGet());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).action("note", note).build(),
				connection);
		channel.handleText(frame("{'action':'note','text':' ','correlationId':'c3'}"));
		channel.handleText(frame("{'action':'note','text':123}"));
		assertThat(calls).hasValue(0);
		List<JsonNode> replies = messages(connection);
		assertThat(replies).hasSize(2);
		assertThat(replies.get(0).get("action").stringValue()).isEqualTo("note");
		assertThat(replies.get(0).get("correlationId").stringValue()).isEqualTo("c3");
		assertThat(replies.get(0).get("error").get("code").stringValue()).isEqualTo("validation_failed");
		assertThat(replies.get(0).get("error").get("details"))
			.containsExactly(tree("{'field':'text','message':'must not be blank'}"));
		assertThat(replies.get(1).get("error").get("code").stringValue()).isEqualTo("validation_failed");
		assertThat(replies.get(1).get("error").get("details"))
			.containsExactly(tree("{'field':'text','message':'must be a string'}"));
	}

	@Test
	void pikkuExceptionCodeMessageAndDetailsArePassedThrough() {
		PikkuFunction<Void, Object> buy = PikkuFunction.of(Void.class, (input, context) -> {
			throw new PikkuException("quota_exceeded", "Too many todos", Map.of("limit", 3));
		});
		PikkuFunction<Void, Object> find = PikkuFunction.of(Void.class, (input, context) -> {
			throw PikkuException.notFound("No todo 9");
		});
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("buy", buy).action("find", find).build(),
				connection);
		channel.handleText(frame("{'action':'buy','correlationId':'c4'}"));
		channel.handleText(frame("{'action':'find'}"));
		assertThat(messages(connection)).containsExactly(tree(
				"{'action':'buy','correlationId':'c4','error':{'code':'quota_exceeded','message':'Too many todos','details':{'limit':3}}}"),
				tree("{'action':'find','error':{'code':'not_found','message':'No todo 9'}}"));
		assertThat(connection.closes).isEmpty();
	}

	@Test
	void otherExceptionsAreInternalAndNeverLeakTheirText() {
		PikkuFunction<Void, Object> crash = PikkuFunction.of(Void.class, (input, context) -> {
			throw new IllegalStateException("database password is hunter2");
		});
		PikkuFunction<Void, Object> crashLater = PikkuFunction.of(Void.class,
				(input, context) -> CompletableFuture.failedFuture(new IllegalStateException("hunter2 again")));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("crash", crash)
			.action("crashLater", crashLater)
			.build(), connection);
		channel.handleText(frame("{'action':'crash','correlationId':'c5'}"));
		channel.handleText(frame("{'action':'crashLater'}"));
		assertThat(messages(connection)).containsExactly(
				tree("{'action':'crash','correlationId':'c5','error':{'code':'internal','message':'Internal error'}}"),
				tree("{'action':'crashLater','error':{'code':'internal','message':'Internal error'}}"));
		assertThat(connection.texts).noneMatch((text) -> text.contains("hunter2") || text.contains("Exception"));
	}

	@Test
	void failedFutureWithAPikkuExceptionIsAnsweredWithItsCode() {
		PikkuFunction<Void, Object> find = PikkuFunction.of(Void.class,
				(input, context) -> CompletableFuture.supplyAsync(() -> {
					throw PikkuException.notFound("No todo 9");
				}));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).action("find", find).build(),
				connection);
		channel.handleText(frame("{'action':'find'}")).toCompletableFuture().join();
		assertThat(messages(connection))
			.containsExactly(tree("{'action':'find','error':{'code':'not_found','message':'No todo 9'}}"));
	}

	@Test
	void futureResultIsRepliedOnCompletionAndLaterFramesWaitForIt() {
		CompletableFuture<Object> slowResult = new CompletableFuture<>();
		PikkuFunction<Void, Object> slow = PikkuFunction.of(Void.class, (input, context) -> slowResult);
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("slow", slow)
			.action("fast", constant("quick"))
			.build(), connection);
		CompletionStage<Void> first = channel.handleText(frame("{'action':'slow','correlationId':1}"));
		CompletionStage<Void> second = channel.handleText(frame("{'action':'fast','correlationId':2}"));
		assertThat(connection.texts).isEmpty();
		assertThat(first.toCompletableFuture()).isNotDone();
		assertThat(second.toCompletableFuture()).isNotDone();
		slowResult.complete(Map.of("took", "long"));
		assertThat(first.toCompletableFuture()).isDone();
		assertThat(second.toCompletableFuture()).isDone();
		assertThat(messages(connection)).containsExactly(tree("{'action':'slow','correlationId':1,'took':'long'}"),
				tree("{'action':'fast','correlationId':2,'result':'quick'}"));
		channel.handleText(frame("{'action':'fast','correlationId':3}"));
		assertThat(messages(connection)).hasSize(3);
	}

	@Test
	void framesWaitForAnOnConnectThatCompletesLater() {
		CompletableFuture<Object> welcome = new CompletableFuture<>();
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.onConnect((context) -> welcome)
			.action("ping", constant("pong"))
			.build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), null, connection);
		CompletionStage<Void> ping = channel.handleText(frame("{'action':'ping'}"));
		assertThat(connection.texts).isEmpty();
		assertThat(ping.toCompletableFuture()).isNotDone();
		welcome.complete(Map.of("welcome", true));
		assertThat(ping.toCompletableFuture()).isDone();
		assertThat(messages(connection)).containsExactly(tree("{'welcome':true}"),
				tree("{'action':'ping','result':'pong'}"));
	}

	@Test
	void replyOfACallThatCompletesAfterTheCloseIsDropped() {
		CompletableFuture<Object> slowResult = new CompletableFuture<>();
		PikkuFunction<Void, Object> slow = PikkuFunction.of(Void.class, (input, context) -> slowResult);
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).action("slow", slow).build(),
				connection);
		CompletionStage<Void> call = channel.handleText(frame("{'action':'slow'}"));
		channel.handleClosed();
		slowResult.complete("too late");
		assertThat(call.toCompletableFuture()).isCompletedWithValue(null);
		assertThat(connection.texts).isEmpty();
	}

	@Test
	void resultThatCannotBeWrittenIsAnsweredAsInternal() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("broken", constant(new Unwritable()))
			.build(), connection);
		channel.handleText(frame("{'action':'broken'}"));
		assertThat(messages(connection))
			.containsExactly(tree("{'action':'broken','error':{'code':'internal','message':'Internal error'}}"));
	}

	@Test
	void futureResultThatCannotBeWrittenIsAnsweredAsInternalAndLaterFramesStillRun() {
		CompletableFuture<Object> slowResult = new CompletableFuture<>();
		PikkuFunction<Void, Object> slow = PikkuFunction.of(Void.class, (input, context) -> slowResult);
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("slow", slow)
			.action("fast", constant("quick"))
			.build(), connection);
		CompletionStage<Void> first = channel.handleText(frame("{'action':'slow'}"));
		CompletionStage<Void> second = channel.handleText(frame("{'action':'fast'}"));
		slowResult.complete(new Unwritable());
		assertThat(first.toCompletableFuture()).isCompletedWithValue(null);
		assertThat(second.toCompletableFuture()).isCompletedWithValue(null);
		assertThat(messages(connection)).containsExactly(
				tree("{'action':'slow','error':{'code':'internal','message':'Internal error'}}"),
				tree("{'action':'fast','result':'quick'}"));
	}

	@Test
	void whatACallSendsGoesOutBeforeItsReply() {
		PikkuFunction<Void, Object> chatty = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().send(Map.of("n", 1));
			context.channel().send(2);
			return "done";
		});
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("chatty", chatty).build(), connection);
		channel.handleText(frame("{'action':'chatty'}"));
		assertThat(messages(connection)).containsExactly(tree("{'n':1}"), tree("2"),
				tree("{'action':'chatty','result':'done'}"));
	}

	@Test
	void connectionStaysOpenAfterAnErrorByDefault() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", constant("pong")).build(),
				connection);
		channel.handleText(frame("{'action':'nope'}"));
		channel.handleText(frame("{'action':'ping'}"));
		assertThat(connection.closes).isEmpty();
		assertThat(channel.channel().state()).isEqualTo(ChannelState.OPEN);
		assertThat(messages(connection).get(1)).isEqualTo(tree("{'action':'ping','result':'pong'}"));
	}

	@Test
	void closeOnErrorClosesTheConnectionWith1008AfterAnError() {
		ChannelSettings settings = new ChannelSettings("action", "correlationId", true, 1024, 1024);
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(settings,
				ChannelDefinition.builder("chat", "/chat").auth(false).action("ping", constant("pong")).build(),
				connection);
		channel.handleText(frame("{'action':'nope'}"));
		assertThat(messages(connection)).hasSize(1);
		assertThat(messages(connection).get(0).get("error").get("code").stringValue()).isEqualTo("unknown_action");
		assertThat(connection.closes).containsExactly(new Close(1008, "unknown_action"));
		assertThat(channel.channel().state()).isEqualTo(ChannelState.CLOSED);
		assertThatExceptionOfType(ChannelClosedException.class).isThrownBy(() -> channel.channel().send("late"));
	}

	@Test
	void customSettingsChangeTheRoutingPropertyAndCorrelationField() {
		ChannelSettings settings = new ChannelSettings("type", "requestId", false, 1024, 1024);
		List<JsonNode> inputs = new ArrayList<>();
		PikkuFunction<JsonNode, Object> echo = PikkuFunction.of(JsonNode.class, (input, context) -> {
			inputs.add(input);
			return Map.of("ok", true);
		});
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(settings,
				ChannelDefinition.builder("chat", "/chat").auth(false).action("echo", echo).build(), connection);
		channel.handleText(frame("{'type':'echo','requestId':9,'correlationId':'kept','action':'kept'}"));
		channel.handleText(frame("{'action':'echo','requestId':'r2'}"));
		assertThat(inputs).containsExactly(tree("{'correlationId':'kept','action':'kept'}"));
		List<JsonNode> replies = messages(connection);
		assertThat(replies).hasSize(2);
		assertThat(replies.get(0)).isEqualTo(tree("{'type':'echo','requestId':9,'ok':true}"));
		assertThat(replies.get(1).propertyNames()).containsExactlyInAnyOrder("requestId", "error");
		assertThat(replies.get(1).get("requestId").stringValue()).isEqualTo("r2");
		assertThat(replies.get(1).get("error").get("code").stringValue()).isEqualTo("unknown_action");
	}

	@Test
	void settingsRejectTheSameNameForRoutingPropertyAndCorrelationField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ChannelSettings("action", "action", false, 1024, 1024))
			.withMessageContaining("'action'");
	}

	@Test
	void settingsRejectBlankNamesAndNonPositiveLimits() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ChannelSettings(" ", "correlationId", false, 1, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new ChannelSettings("action", "", false, 1, 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ChannelSettings("action", "correlationId", false, 0, 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ChannelSettings("action", "correlationId", false, 1, -1));
	}

	@Test
	void defaultSettingsAreDocumentedOnes() {
		assertThat(ChannelSettings.DEFAULTS.defaultRoutingProperty()).isEqualTo("action");
		assertThat(ChannelSettings.DEFAULTS.correlationField()).isEqualTo("correlationId");
		assertThat(ChannelSettings.DEFAULTS.closeOnError()).isFalse();
	}

	// Sessions and auth

	@Test
	void callsNeedASessionByDefault() {
		AtomicInteger calls = new AtomicInteger();
		PikkuFunction<Void, Object> ping = PikkuFunction.of(Void.class, (input, context) -> calls.incrementAndGet());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").action("ping", ping).build(), connection);
		channel.handleText(frame("{'action':'ping','correlationId':'c6'}"));
		assertThat(calls).hasValue(0);
		assertThat(messages(connection)).containsExactly(tree(
				"{'action':'ping','correlationId':'c6','error':{'code':'unauthorized','message':'Authentication required'}}"));
	}

	@Test
	void sessionFromTheHandshakeAuthenticatesCalls() {
		PikkuFunction<Void, Object> whoami = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("user", context.requireSession().userId()));
		ChannelRuntime runtime = runtime(ChannelDefinition.builder("chat", "/chat").action("whoami", whoami).build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(), PikkuSession.of("alice"), connection);
		channel.handleText(frame("{'action':'whoami'}"));
		assertThat(channel.session()).isEqualTo(PikkuSession.of("alice"));
		assertThat(messages(connection)).containsExactly(tree("{'action':'whoami','user':'alice'}"));
	}

	@Test
	void sessionSetInBandAppliesToLaterCalls() {
		PikkuFunction<Note, Object> login = PikkuFunction.builder(Note.class).auth(false).handler((input, context) -> {
			context.setSession(PikkuSession.of(input.text()));
			return null;
		}).build();
		PikkuFunction<Void, Object> logout = PikkuFunction.of(Void.class, (input, context) -> {
			context.clearSession();
			return null;
		});
		PikkuFunction<Void, Object> whoami = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("user", context.requireSession().userId()));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.action("login", login)
			.action("logout", logout)
			.action("whoami", whoami)
			.build(), connection);
		channel.handleText(frame("{'action':'whoami'}"));
		channel.handleText(frame("{'action':'login','text':'bob'}"));
		channel.handleText(frame("{'action':'whoami'}"));
		channel.handleText(frame("{'action':'logout'}"));
		channel.handleText(frame("{'action':'whoami'}"));
		List<JsonNode> replies = messages(connection);
		assertThat(replies).hasSize(5);
		assertThat(replies.get(0).get("error").get("code").stringValue()).isEqualTo("unauthorized");
		assertThat(replies.get(1)).isEqualTo(tree("{'action':'login'}"));
		assertThat(replies.get(2)).isEqualTo(tree("{'action':'whoami','user':'bob'}"));
		assertThat(replies.get(3)).isEqualTo(tree("{'action':'logout'}"));
		assertThat(replies.get(4).get("error").get("code").stringValue()).isEqualTo("unauthorized");
		assertThat(channel.session()).isNull();
	}

	@Test
	void authOfTheActionWiringWinsOverFunctionAndChannel() {
		PikkuFunction<Void, Integer> open = PikkuFunction.builder(Void.class)
			.auth(false)
			.handler((input, context) -> 1)
			.build();
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("wiredClosed", open, (options) -> options.auth(true))
			.action("functionOpen", open)
			.action("channelOpen", constant(2))
			.build(), connection);
		channel.handleText(frame("{'action':'wiredClosed'}"));
		channel.handleText(frame("{'action':'functionOpen'}"));
		channel.handleText(frame("{'action':'channelOpen'}"));
		List<JsonNode> replies = messages(connection);
		assertThat(replies.get(0).get("error").get("code").stringValue()).isEqualTo("unauthorized");
		assertThat(replies.get(1)).isEqualTo(tree("{'action':'functionOpen','result':1}"));
		assertThat(replies.get(2)).isEqualTo(tree("{'action':'channelOpen','result':2}"));
	}

	// Binary and oversized frames

	@Test
	void binaryFrameToATextOnlyChannelIsUnsupported() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).build(), connection);
		channel.handleBinary(ByteBuffer.wrap(new byte[] { 1, 2 }));
		assertThat(messages(connection)).hasSize(1);
		assertThat(messages(connection).get(0).get("error").get("code").stringValue()).isEqualTo("unsupported_frame");
		assertThat(connection.binaries).isEmpty();
	}

	@Test
	void binaryHandlerRepliesWithBinary() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).onBinary((data, context) -> {
			byte[] reversed = new byte[data.remaining()];
			for (int i = reversed.length - 1; i >= 0; i--) {
				reversed[i] = data.get();
			}
			return reversed;
		}).build(), connection);
		channel.handleBinary(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
		assertThat(connection.texts).isEmpty();
		assertThat(connection.binaries).hasSize(1);
		assertThat(StandardCharsets.US_ASCII.decode(connection.binaries.get(0)).toString()).isEqualTo("cba");
	}

	@Test
	void oversizedFrameIsAnsweredWithTooLarge() {
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(ChannelDefinition.builder("chat", "/chat").auth(false).build(), connection);
		channel.handleOversizedFrame(1024);
		assertThat(messages(connection)).containsExactly(tree(
				"{'error':{'code':'too_large','message':'Message is larger than 1024 bytes','details':{'limit':1024}}}"));
	}

	// Helpers

	private ChannelRuntime runtime(ChannelDefinition<?>... definitions) {
		return runtime(ChannelSettings.DEFAULTS, definitions);
	}

	private ChannelRuntime runtime(ChannelSettings settings, ChannelDefinition<?>... definitions) {
		return ChannelRuntime.builder(List.of(definitions), JsonMapper.builder().build())
			.settings(settings)
			.validator(validator)
			.build();
	}

	@Test
	void aSubscriptionPastTheLimitIsAnsweredLimitExceeded() {
		PikkuFunction<Void, Object> subscribe = PikkuFunction.of(Void.class, (input, context) -> CompletableFuture
			.failedFuture(new io.pikku.eventhub.SubscriptionLimitExceededException(3)));
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = open(
				ChannelDefinition.builder("chat", "/chat").auth(false).action("subscribe", subscribe).build(),
				connection);
		channel.handleText(frame("{'action':'subscribe'}"));
		assertThat(messages(connection)).containsExactly(tree(
				"{'action':'subscribe','error':{'code':'limit_exceeded','message':'A connection may subscribe to at most 3 topics','details':{'limit':3}}}"));
	}

	@Test
	void expiredSessionsNoLongerAuthoriseCallsUntilANewLogin() {
		record Expiring(String userId, java.time.Instant expiresAt) implements PikkuSession {
		}
		PikkuFunction<Void, Object> whoami = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("userId", context.requireSession().userId()));
		PikkuFunction<Void, Object> relogin = PikkuFunction.builder(Void.class)
			.auth(false)
			.handler((input, context) -> {
				context.setSession(new Expiring("alice", java.time.Instant.now().plusSeconds(60)));
				return null;
			})
			.build();
		ChannelRuntime runtime = runtime(
				ChannelDefinition.builder("chat", "/chat").action("whoami", whoami).action("login", relogin).build());
		RecordingConnection connection = new RecordingConnection();
		OpenChannel channel = runtime.open("chat", Map.of(),
				new Expiring("alice", java.time.Instant.now().minusSeconds(1)), connection);
		channel.handleText(frame("{'action':'whoami'}"));
		channel.handleText(frame("{'action':'login'}"));
		channel.handleText(frame("{'action':'whoami'}"));
		assertThat(messages(connection)).containsExactly(tree(
				"{'action':'whoami','error':{'code':'unauthorized','message':'Session expired: authenticate again'}}"),
				tree("{'action':'login'}"), tree("{'action':'whoami','userId':'alice'}"));
	}

	private OpenChannel open(ChannelDefinition<?> definition, RecordingConnection connection) {
		return open(ChannelSettings.DEFAULTS, definition, connection);
	}

	private OpenChannel open(ChannelSettings settings, ChannelDefinition<?> definition,
			RecordingConnection connection) {
		return runtime(settings, definition).open(definition.name(), Map.of(), null, connection);
	}

	private static PikkuFunction<Void, Object> constant(@Nullable Object result) {
		return PikkuFunction.of(Void.class, (input, context) -> result);
	}

	/**
	 * JSON written with single quotes, for readability.
	 */
	private static String frame(String json) {
		return json.replace('\'', '"');
	}

	private JsonNode tree(String json) {
		return this.json.readTree(frame(json));
	}

	private List<JsonNode> messages(RecordingConnection connection) {
		return connection.texts.stream().map(this.json::readTree).toList();
	}

	record Room(@NotBlank @Pattern(regexp = "[a-z0-9-]+") String room, @Nullable String lang) {

		Room(String room) {
			this(room, null);
		}

	}

	record Page(String room, int limit) {
	}

	record Credentialed(String room, @Nullable String access_token) {
	}

	record Note(@NotBlank String text) {
	}

	record Close(int code, @Nullable String reason) {
	}

	/**
	 * A result Jackson fails to write.
	 */
	static final class Unwritable {

		public String getValue() {
			throw new IllegalStateException("cannot be written");
		}

	}

	/**
	 * A connection that records what the runtime does with it.
	 */
	/** Runs tasks when told to, on a thread named "worker". */
	static final class ManualWorker implements java.util.concurrent.Executor {

		private final java.util.concurrent.BlockingQueue<Runnable> tasks = new java.util.concurrent.LinkedBlockingQueue<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Thread thread = new Thread(() -> {
				Runnable task;
				while ((task = this.tasks.poll()) != null) {
					task.run();
				}
			}, "worker");
			thread.start();
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/** A connection whose blocking work waits for its manual worker. */
	static final class WorkerConnection extends RecordingConnection {

		final ManualWorker worker = new ManualWorker();

		@Override
		public java.util.concurrent.Executor blockingExecutor() {
			return this.worker;
		}

	}

	static class RecordingConnection implements ChannelConnection {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<ByteBuffer> binaries = new CopyOnWriteArrayList<>();

		final List<Close> closes = new CopyOnWriteArrayList<>();

		@Override
		public void sendText(String text) {
			this.texts.add(text);
		}

		@Override
		public void sendBinary(ByteBuffer data) {
			this.binaries.add(data);
		}

		@Override
		public void close(int code, @Nullable String reason) {
			this.closes.add(new Close(code, reason));
		}

	}

}
