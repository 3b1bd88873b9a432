package io.pikku.channel;

import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ChannelDefinition} and {@link PikkuFunction}.
 */
class ChannelDefinitionTests {

	private static final PikkuFunction<Void, String> PING = PikkuFunction.of(Void.class, (input, context) -> "pong");

	@Test
	void blankNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelDefinition.builder(" ", "/chat"))
			.withMessage("A channel needs a name");
	}

	@Test
	void routeWithoutLeadingSlashIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelDefinition.builder("chat", "chat/{room}"))
			.withMessageContaining("'chat'")
			.withMessageContaining("'/'");
	}

	@Test
	void actionWiredTwiceFailsNamingIt() {
		ChannelDefinition.Builder<Map<String, String>> builder = ChannelDefinition.builder("chat", "/chat")
			.action("ping", PING)
			.action("ping", PING);
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageContaining("'chat'")
			.withMessageContaining("'ping' twice");
	}

	@Test
	void actionWiredTwiceForTheSameRoutingPropertyFailsNamingBoth() {
		ChannelDefinition.Builder<Map<String, String>> builder = ChannelDefinition.builder("chat", "/chat")
			.action("command", "ping", PING)
			.action("command", "ping", PING, (options) -> options.auth(false));
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageContaining("'ping' twice")
			.withMessageContaining("routing property 'command'");
	}

	@Test
	void sameActionNameUnderTwoRoutingPropertiesIsAllowed() {
		ChannelDefinition<Map<String, String>> definition = ChannelDefinition.builder("chat", "/chat")
			.action("ping", PING)
			.action("command", "ping", PING)
			.build();
		assertThat(definition.actions()).extracting(ActionWiring::routingProperty, ActionWiring::name)
			.containsExactly(tuple(null, "ping"), tuple("command", "ping"));
	}

	@Test
	void actionsKeepDeclarationOrderAndOptions() {
		PikkuFunction<Void, String> login = PikkuFunction.of(Void.class, (input, context) -> "ok");
		ChannelDefinition<Map<String, String>> definition = ChannelDefinition.builder("chat", "/chat")
			.action("ping", PING)
			.action("login", login, (options) -> options.auth(false))
			.build();
		assertThat(definition.actions()).hasSize(2);
		assertThat(definition.actions().get(0).name()).isEqualTo("ping");
		assertThat(definition.actions().get(0).function()).isSameAs(PING);
		assertThat(definition.actions().get(0).auth()).isNull();
		assertThat(definition.actions().get(1).name()).isEqualTo("login");
		assertThat(definition.actions().get(1).function()).isSameAs(login);
		assertThat(definition.actions().get(1).auth()).isFalse();
	}

	@Test
	void actionsCannotBeChangedAfterBuild() {
		ChannelDefinition<Map<String, String>> definition = ChannelDefinition.builder("chat", "/chat")
			.action("ping", PING)
			.build();
		assertThat(definition.actions()).isUnmodifiable();
		assertThat(definition.tags()).isUnmodifiable();
	}

	@Test
	void blankActionNameIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ChannelDefinition.builder("chat", "/chat").action(" ", PING))
			.withMessage("An action needs a name");
	}

	@Test
	void blankRoutingPropertyIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ChannelDefinition.builder("chat", "/chat").action(" ", "ping", PING))
			.withMessage("A routing property must not be blank");
	}

	@Test
	void openingDataIsAMapUnlessSet() {
		assertThat(ChannelDefinition.builder("chat", "/chat/{room}").build().openingDataType()).isEqualTo(Map.class);
	}

	@Test
	void openingDataTypeIsTheDeclaredType() {
		ChannelDefinition<Room> definition = ChannelDefinition.builder("chat", "/chat/{room}")
			.openingData(Room.class)
			.build();
		assertThat(definition.openingDataType()).isEqualTo(Room.class);
	}

	@Test
	void openingDataAfterALifecycleHandlerIsRejected() {
		ChannelDefinition.Builder<Map<String, String>> builder = ChannelDefinition.builder("chat", "/chat/{room}")
			.onConnect((context) -> null);
		assertThatIllegalStateException().isThrownBy(() -> builder.openingData(Room.class))
			.withMessageContaining("before the lifecycle handlers");
	}

	@Test
	void definitionHasDefaults() {
		ChannelDefinition<Map<String, String>> definition = ChannelDefinition.builder("chat", "/chat/{room}").build();
		assertThat(definition.name()).isEqualTo("chat");
		assertThat(definition.route()).isEqualTo("/chat/{room}");
		assertThat(definition.auth()).isNull();
		assertThat(definition.tags()).isEmpty();
		assertThat(definition.docs()).isEqualTo(Docs.NONE);
		assertThat(definition.actions()).isEmpty();
		assertThat(definition.onConnect()).isNull();
		assertThat(definition.onDisconnect()).isNull();
		assertThat(definition.onMessage()).isNull();
		assertThat(definition.onBinary()).isNull();
	}

	@Test
	void definitionKeepsItsOptions() {
		ConnectHandler<Room> onConnect = (context) -> "hi";
		DisconnectHandler<Room> onDisconnect = (context) -> {
		};
		BinaryHandler<Room> onBinary = (data, context) -> null;
		ChannelDefinition<Room> definition = ChannelDefinition.builder("chat", "/chat/{room}")
			.openingData(Room.class)
			.onConnect(onConnect)
			.onDisconnect(onDisconnect)
			.onBinary(onBinary)
			.onMessage(PING)
			.auth(false)
			.tags("public", "chat")
			.summary("Chat rooms")
			.description("One channel per room")
			.tags("realtime")
			.build();
		assertThat(definition.onConnect()).isSameAs(onConnect);
		assertThat(definition.onDisconnect()).isSameAs(onDisconnect);
		assertThat(definition.onBinary()).isSameAs(onBinary);
		assertThat(definition.onMessage()).isSameAs(PING);
		assertThat(definition.auth()).isFalse();
		assertThat(definition.tags()).containsExactly("public", "chat", "realtime");
		assertThat(definition.docs())
			.isEqualTo(new Docs("Chat rooms", "One channel per room", List.of("public", "chat", "realtime")));
		assertThat(definition).hasToString("ChannelDefinition[chat /chat/{room}]");
	}

	@Test
	void functionHasNoOptionsByDefault() {
		assertThat(PING.inputType()).isEqualTo(Void.class);
		assertThat(PING.auth()).isNull();
		assertThat(PING.docs()).isEqualTo(Docs.NONE);
	}

	@Test
	void functionBuilderSetsAuthAndDocs() throws Exception {
		PikkuFunction<Room, String> function = PikkuFunction.builder(Room.class)
			.auth(false)
			.summary("Joins a room")
			.description("Adds the caller to the room")
			.tags("rooms", "presence")
			.handler((input, context) -> "joined " + input.room())
			.build();
		assertThat(function.inputType()).isEqualTo(Room.class);
		assertThat(function.auth()).isFalse();
		assertThat(function.docs())
			.isEqualTo(new Docs("Joins a room", "Adds the caller to the room", List.of("rooms", "presence")));
		assertThat(function.handler().handle(new Room("general"), null)).isEqualTo("joined general");
	}

	@Test
	void functionBuilderLeavesAuthToTheChannelUnlessSet() {
		PikkuFunction<Room, String> function = PikkuFunction.builder(Room.class)
			.summary("Joins a room")
			.handler((input, context) -> "joined")
			.build();
		assertThat(function.auth()).isNull();
		assertThat(function.docs()).isEqualTo(Docs.of("Joins a room"));
	}

	@Test
	void functionBuilderNeedsAHandler() {
		assertThatIllegalStateException().isThrownBy(() -> PikkuFunction.builder(Room.class).summary("x").build())
			.withMessageContaining("handler");
	}

	@Test
	void functionBuilderAcceptsAGenericInputType() {
		PikkuFunction<List<Room>, Integer> function = PikkuFunction.builder(new TypeReference<List<Room>>() {
		}).handler((input, context) -> input.size()).build();
		assertThat(function.inputType()).isInstanceOfSatisfying(ParameterizedType.class, (type) -> {
			assertThat(type.getRawType()).isEqualTo(List.class);
			assertThat(type.getActualTypeArguments()).containsExactly(Room.class);
		});
	}

	@Test
	void functionKnowsNoOutputTypeOrErrorsUnlessGiven() {
		assertThat(PING.outputType()).isNull();
		assertThat(PING.errors()).isEmpty();
	}

	@Test
	void functionBuilderRecordsTheOutputTypeAndDeclaredErrors() {
		PikkuFunction<Room, Room> function = PikkuFunction.builder(Room.class)
			.returns(Room.class)
			.errors("not_found", "gone")
			.error("quota_exceeded", Room.class)
			.errors("not_found")
			.handler((input, context) -> input)
			.build();
		assertThat(function.outputType()).isEqualTo(Room.class);
		assertThat(function.errors()).containsExactly(new DeclaredError("not_found", null),
				new DeclaredError("gone", null), new DeclaredError("quota_exceeded", Room.class));
	}

	@Test
	void functionBuilderAcceptsAGenericOutputType() {
		PikkuFunction<Void, List<Room>> function = PikkuFunction.builder(Void.class)
			.returns(new TypeReference<List<Room>>() {
			})
			.handler((input, context) -> List.<Room>of())
			.build();
		assertThat(function.outputType()).isInstanceOfSatisfying(ParameterizedType.class,
				(type) -> assertThat(type.getActualTypeArguments()).containsExactly(Room.class));
	}

	@Test
	void blankDeclaredErrorCodeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> PikkuFunction.builder(Room.class).errors(" "))
			.withMessage("A declared error needs a code");
	}

	@Test
	void channelRecordsItsOnConnectReplyTypeAndTopics() {
		ChannelDefinition<Room> definition = ChannelDefinition.builder("chat", "/chat/{room}")
			.openingData(Room.class)
			.onConnect(Room.class, (context) -> context.channel().openingData())
			.publishes("room:{room}", Room.class)
			.publishes("room:{room}", String.class)
			.publishes(TopicDefinition.builder("{topic}", Object.class).variable("topic", "any topic").build())
			.build();
		assertThat(definition.onConnectReplyType()).isEqualTo(Room.class);
		assertThat(definition.onConnect()).isNotNull();
		assertThat(definition.topics()).extracting(TopicDefinition::name, TopicDefinition::payloadType)
			.containsExactly(tuple("room:{room}", Room.class), tuple("room:{room}", String.class),
					tuple("{topic}", Object.class));
	}

	@Test
	void channelKnowsNoOnConnectReplyTypeOrTopicsUnlessDeclared() {
		ChannelDefinition<Map<String, String>> definition = ChannelDefinition.builder("chat", "/chat")
			.onConnect((context) -> "hi")
			.build();
		assertThat(definition.onConnectReplyType()).isNull();
		assertThat(definition.topics()).isEmpty();
	}

	@Test
	void topicVariableMayBeAPathVariable() {
		ChannelDefinition<Map<String, String>> definition = ChannelDefinition.builder("chat", "/chat/{room}")
			.publishes("room:{room}", String.class)
			.build();
		assertThat(definition.topics()).singleElement().satisfies((topic) -> {
			assertThat(topic.variables()).containsExactly("room");
			assertThat(topic.freeVariables()).isEmpty();
		});
	}

	@Test
	void topicVariableThatIsNoOpeningDataFailsNamingIt() {
		ChannelDefinition.Builder<Room> builder = ChannelDefinition.builder("chat", "/chat/{id}")
			.openingData(Room.class)
			.publishes("room:{rom}", String.class);
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageContaining("Topic 'room:{rom}' of channel 'chat' has variable 'rom'")
			.withMessageContaining("[id, room]")
			.withMessageContaining("variable(\"rom\", description)");
	}

	@Test
	void topicDeclaredTwiceWithTheSamePayloadIsRejected() {
		ChannelDefinition.Builder<Map<String, String>> builder = ChannelDefinition.builder("todos", "/todos")
			.publishes("todos:updated", Room.class);
		assertThatIllegalArgumentException().isThrownBy(() -> builder.publishes("todos:updated", Room.class))
			.withMessageContaining("Channel 'todos' declares topic 'todos:updated'")
			.withMessageContaining("twice");
	}

	@Test
	void topicThatNamesChannelsIsOnlyForBeans() {
		TopicDefinition topic = TopicDefinition.builder("todos:updated", Room.class).channels("todos").build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ChannelDefinition.builder("todos", "/todos").publishes(topic))
			.withMessageContaining("only a topic bean names its channels");
	}

	record Room(String room) {
	}

}
