package io.pikku.apidocs;

import java.util.List;
import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.TopicDefinition;
import io.pikku.channel.runtime.ChannelSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ApiDescription}.
 */
class ApiDescriptionTests {

	private final ApiDescription description = TestChannels.description();

	@Test
	void channelsActionsAndTopicsAreDescribedInOrder() {
		assertThat(this.description.channels()).extracting(ApiChannel::name).containsExactly("chat", "echo");
		ApiChannel chat = this.description.channels().get(0);
		assertThat(chat.routingProperties()).containsExactly("action", "command");
		assertThat(chat.actions()).extracting(ApiAction::name)
			.containsExactly("authenticate", "sendMessage", "who", "add", "stop");
		assertThat(chat.pathVariables()).containsExactly("room");
		assertThat(chat.topics()).extracting(ApiTopic::name).containsExactly("room:{room}", "announcements");
		assertThat(chat.connect()).isNotNull();
		assertThat(chat.defaultHandler()).isNull();
		assertThat(this.description.channels().get(1).defaultHandler()).isNotNull();
		assertThat(this.description.info()).isEqualTo(new ApiInfo("Test channels", "2.1.0", "Channels for the tests"));
		assertThat(this.description.correlationField()).isEqualTo("correlationId");
	}

	@Test
	void outputsTravelAsTheirKindSays() {
		ApiChannel chat = this.description.channels().get(0);
		assertThat(chat.actions()).extracting((action) -> action.output().kind())
			.containsExactly(ApiType.Kind.OBJECT, ApiType.Kind.OBJECT, ApiType.Kind.OBJECT, ApiType.Kind.VALUE,
					ApiType.Kind.NONE);
		assertThat(chat.actions()).extracting((action) -> action.input().kind())
			.containsExactly(ApiType.Kind.OBJECT, ApiType.Kind.OBJECT, ApiType.Kind.NONE, ApiType.Kind.OBJECT,
					ApiType.Kind.NONE);
		ApiChannel echo = this.description.channels().get(1);
		assertThat(echo.actions().get(0).output().kind()).as("unknown without returns(..)").isEqualTo(ApiType.Kind.ANY);
		assertThat(echo.defaultHandler().input().kind()).isEqualTo(ApiType.Kind.ANY);
		assertThat(echo.topics().get(0).payloads()).extracting(ApiType::kind).containsExactly(ApiType.Kind.ANY);
	}

	@Test
	void errorCodesFollowWhatTheRuntimeChecks() {
		ApiChannel chat = this.description.channels().get(0);
		assertThat(codes(chat.actions().get(0))).as("authenticate: no session needed")
			.containsExactly("rate_limited", "validation_failed", "internal");
		assertThat(codes(chat.actions().get(2))).as("who: no input to validate")
			.containsExactly("rate_limited", "unauthorized", "internal");
		assertThat(codes(chat.actions().get(4))).as("stop: permissions and declared errors")
			.containsExactly("rate_limited", "unauthorized", "forbidden", "not_found", "quota_exceeded", "internal");
		assertThat(chat.errors()).extracting(ApiError::code)
			.containsExactly("invalid_json", "unknown_action", "too_large", "unsupported_frame", "rate_limited",
					"internal");
	}

	@Test
	void withoutARateLimitNoCallIsRateLimited() {
		ChannelSettings unlimited = new ChannelSettings("action", "correlationId", false, 1024, 1024);
		ChannelDefinition<?> channel = ChannelDefinition.builder("free", "/free")
			.auth(false)
			.action("ping", PikkuFunction.builder(Void.class).returns(String.class).handler((i, c) -> "pong").build())
			.build();
		ApiDescription free = ApiDescription
			.builder(io.pikku.channel.runtime.ChannelRuntime.builder(List.of(channel), TestChannels.JSON)
				.settings(unlimited)
				.build()
				.describe(), unlimited, TestChannels.JSON)
			.build();
		assertThat(codes(free.channels().get(0).actions().get(0))).containsExactly("internal");
		assertThat(free.channels().get(0).errors()).extracting(ApiError::code)
			.containsExactly("invalid_json", "unknown_action", "too_large", "unsupported_frame");
	}

	@Test
	void outputTypesComeFromTheFunctionThenFromTheResolver() {
		PikkuFunction<Void, Integer> given = PikkuFunction.builder(Void.class)
			.returns(Integer.class)
			.handler((i, c) -> 1)
			.build();
		PikkuFunction<Void, String> resolved = PikkuFunction.builder(Void.class).handler((i, c) -> "x").build();
		ChannelDefinition<?> channel = ChannelDefinition.builder("c", "/c")
			.action("given", given)
			.action("resolved", resolved)
			.build();
		ApiDescription described = ApiDescription
			.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
			.outputTypes((function) -> String.class)
			.build();
		assertThat(described.channels().get(0).actions())
			.extracting((action) -> action.output().schema().get("type").asString())
			.containsExactly("integer", "string");
	}

	@Test
	void typesOfTheSameSimpleNameAreToldApartByPackageThenEnclosingClass() {
		ChannelDefinition<?> channel = ChannelDefinition.builder("c", "/c")
			.action("a", returning(io.pikku.apidocs.one.Subscribed.class))
			.action("b", returning(io.pikku.apidocs.two.Subscribed.class))
			.action("c", returning(io.pikku.apidocs.one.Subscribed.Item.class))
			.action("d", returning(io.pikku.apidocs.two.Subscribed.Item.class))
			.action("e", returning(io.pikku.apidocs.two.Subscribed.Holder.Item.class))
			.build();
		ApiDescription described = ApiDescription
			.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
			.build();
		assertThat(described.schemas().propertyNames()).contains("OneSubscribed", "TwoSubscribed", "OneSubscribedItem",
				"TwoSubscribedItem", "TwoSubscribedHolderItem");
		assertThat(described.channels().get(0).actions())
			.extracting((action) -> action.output().schema().get("$ref").asString())
			.containsExactly("#/components/schemas/OneSubscribed", "#/components/schemas/TwoSubscribed",
					"#/components/schemas/OneSubscribedItem", "#/components/schemas/TwoSubscribedItem",
					"#/components/schemas/TwoSubscribedHolderItem");
	}

	@Test
	void propertiesOfTypesOnlyTheServerWritesAreRequired() {
		JsonNode schemas = this.description.schemas();
		assertThat(schemas.at("/Sent/required").toString())
			.isEqualTo("[\"message\",\"userId\",\"timestamp\",\"editedBy\"]");
		assertThat(schemas.at("/Sent/properties/editedBy/type").toString()).isEqualTo("[\"string\",\"null\"]");
		assertThat(schemas.at("/Sum").has("required")).as("an input: only what Bean Validation requires").isFalse();
	}

	@Test
	void topicBeanNamingAnUnknownChannelFails() {
		TopicDefinition topic = TopicDefinition.builder("news", String.class).channels("chat", "lobby").build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ApiDescription
				.builder(TestChannels.describe(TestChannels.chat()), TestChannels.SETTINGS, TestChannels.JSON)
				.topics(List.of(topic))
				.build())
			.withMessage("Topic bean 'news' names channel 'lobby', which is not one of the channels [chat]");
	}

	@Test
	void topicBeanNamingNoChannelFails() {
		TopicDefinition topic = TopicDefinition.builder("news", String.class).build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ApiDescription
				.builder(TestChannels.describe(TestChannels.chat()), TestChannels.SETTINGS, TestChannels.JSON)
				.topics(List.of(topic))
				.build())
			.withMessageContaining("Topic bean 'news' names no channel");
	}

	@Test
	void topicBeanWithAnUnknownVariableFails() {
		TopicDefinition topic = TopicDefinition.builder("room:{id}", String.class).channels("chat").build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ApiDescription
				.builder(TestChannels.describe(TestChannels.chat()), TestChannels.SETTINGS, TestChannels.JSON)
				.topics(List.of(topic))
				.build())
			.withMessageContaining("Topic 'room:{id}' of channel 'chat' has variable 'id'")
			.withMessageContaining("[room, name]");
	}

	@Test
	void aPayloadTypeJacksonCannotWriteFailsNamingIt() {
		ChannelDefinition<?> channel = ChannelDefinition.builder("c", "/c").publishes("secrets", Hidden.class).build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ApiDescription
				.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
				.build())
			.withMessageStartingWith("Topic 'secrets' of channel 'c' has payload type " + Hidden.class.getName()
					+ ", which Jackson cannot describe: it has no properties");
	}

	@Test
	void anOutputTypeJacksonCannotWriteFailsNamingTheAction() {
		ChannelDefinition<?> channel = ChannelDefinition.builder("c", "/c")
			.action("peek", returning(Hidden.class))
			.build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ApiDescription
				.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
				.build())
			.withMessageStartingWith("Channel 'c', action 'peek' answers " + Hidden.class.getName());
	}

	@Test
	void aTypeNamedLikeTheRuntimesErrorDetailsFails() {
		ChannelDefinition<?> channel = ChannelDefinition.builder("c", "/c")
			.action("a", returning(PikkuLimit.class))
			.build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ApiDescription
				.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
				.build())
			.withMessageContaining("PikkuLimit, which the API description keeps for the runtime's error details");
	}

	@Test
	void mapOpeningDataIsAnObjectOfStrings() {
		ApiChannel echo = this.description.channels().get(1);
		assertThat(echo.openingData().kind()).isEqualTo(ApiType.Kind.OBJECT);
		assertThat(echo.openingData().schema().toString())
			.isEqualTo("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
	}

	@Test
	void mapsAreInlined() {
		ChannelDefinition<?> channel = ChannelDefinition.builder("c", "/c")
			.action("a", returning(Counts.class))
			.build();
		ApiDescription described = ApiDescription
			.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
			.build();
		assertThat(described.schemas().at("/Counts/properties/counts").toString())
			.isEqualTo("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}");
	}

	private static List<String> codes(ApiAction action) {
		return action.errors().stream().map(ApiError::code).toList();
	}

	private static PikkuFunction<Void, Object> returning(Class<?> type) {
		return PikkuFunction.builder(Void.class).auth(false).returns(type).handler((i, c) -> null).build();
	}

	static class Hidden {

		private String secret;

	}

	record PikkuLimit(int limit) {
	}

	record Counts(Map<String, Integer> counts) {
	}

}
