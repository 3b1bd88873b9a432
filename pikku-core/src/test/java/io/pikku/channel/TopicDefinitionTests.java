package io.pikku.channel;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link TopicDefinition}.
 */
class TopicDefinitionTests {

	@Test
	void plainTopicNameHasNoVariables() {
		TopicDefinition topic = TopicDefinition.builder("todos:updated", String.class)
			.summary("Every change")
			.description("Created, completed or cleared")
			.build();
		assertThat(topic.name()).isEqualTo("todos:updated");
		assertThat(topic.payloadType()).isEqualTo(String.class);
		assertThat(topic.variables()).isEmpty();
		assertThat(topic.channels()).isEmpty();
		assertThat(topic.docs()).isEqualTo(new Docs("Every change", "Created, completed or cleared", List.of()));
		assertThat(topic).hasToString("TopicDefinition[todos:updated java.lang.String]");
	}

	@Test
	void patternListsItsVariablesInOrder() {
		TopicDefinition topic = TopicDefinition.builder("game:{game}:player:{player}", String.class)
			.variable("player", "the player the client follows")
			.channels("games", "lobby")
			.build();
		assertThat(topic.variables()).containsExactly("game", "player");
		assertThat(topic.freeVariables()).containsExactly(Map.entry("player", "the player the client follows"));
		assertThat(topic.channels()).containsExactly("games", "lobby");
	}

	@Test
	void genericPayloadTypeIsKept() {
		TopicDefinition topic = TopicDefinition.builder("scores", new TypeReference<List<Integer>>() {
		}).build();
		assertThat(topic.payloadType().getTypeName()).isEqualTo("java.util.List<java.lang.Integer>");
	}

	@Test
	void blankNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicDefinition.builder(" ", String.class))
			.withMessage("A topic needs a name");
	}

	@Test
	void missingPayloadTypeIsRejected() {
		assertThatNullPointerException().isThrownBy(() -> TopicDefinition.builder("a", (Class<?>) null))
			.withMessage("Topic 'a' needs a payload type");
	}

	@Test
	void malformedVariableIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TopicDefinition.builder("room:{the room}", String.class).build())
			.withMessage("Topic 'room:{the room}' has a malformed variable '{the room}': use a name such as {room}");
	}

	@Test
	void unbalancedBraceIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TopicDefinition.builder("room:{room", String.class).build())
			.withMessage("Topic 'room:{room' has an unbalanced brace: variables are written {name}");
		assertThatIllegalArgumentException().isThrownBy(() -> TopicDefinition.builder("room}", String.class).build())
			.withMessageContaining("unbalanced brace");
	}

	@Test
	void variableUsedTwiceIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> TopicDefinition.builder("{a}:{a}", String.class).build())
			.withMessage("Topic '{a}:{a}' uses variable 'a' twice");
	}

	@Test
	void declaredVariableMustBeInTheName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TopicDefinition.builder("room:{room}", String.class).variable("rooms", "x").build())
			.withMessage("Topic 'room:{room}' declares variable 'rooms', which its name does not use");
	}

	@Test
	void variablesMayBeFieldsOfAClassOpeningData() {
		ChannelDefinition<Address> channel = ChannelDefinition.builder("places", "/places/{id}")
			.openingData(Address.class)
			.build();
		TopicDefinition topic = TopicDefinition.builder("city:{city}:{zip}:{id}", String.class).build();
		topic.requireKnownVariables(channel);
		TopicDefinition unknown = TopicDefinition.builder("{country}", String.class).build();
		assertThatIllegalArgumentException().isThrownBy(() -> unknown.requireKnownVariables(channel))
			.withMessageContaining("[id, zip, city]");
	}

	@Test
	void variablesOfAMapOpeningDataArePathVariablesOnly() {
		ChannelDefinition<Map<String, String>> channel = ChannelDefinition.builder("echo", "/echo").build();
		TopicDefinition topic = TopicDefinition.builder("{topic}", String.class).build();
		assertThatIllegalArgumentException().isThrownBy(() -> topic.requireKnownVariables(channel))
			.withMessageContaining("has variable 'topic', which is no path variable or opening data property []");
		TopicDefinition.builder("{topic}", String.class)
			.variable("topic", "a topic the client named")
			.build()
			.requireKnownVariables(channel);
	}

	static class Place {

		static final String IGNORED = "constant";

		String city;

	}

	static class Address extends Place {

		String zip;

	}

}
