package io.pikku.apidocs;

import java.util.List;

import io.pikku.test.AsyncApiSchema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncApiWriter}.
 */
class AsyncApiWriterTests {

	private final AsyncApiWriter writer = new AsyncApiWriter(TestChannels.JSON);

	private final ObjectNode document = this.writer.write(TestChannels.description(),
			List.of(ApiServer.of("local", "ws://localhost:8080/app"), ApiServer.of("production", "wss://example.com")));

	@Test
	void documentIsValidAsyncApi300() {
		assertThat(AsyncApiSchema.problems(this.document)).isEmpty();
		assertThat(this.document.get("asyncapi").asString()).isEqualTo("3.0.0");
	}

	@Test
	void anInvalidDocumentIsCaughtByTheSchema() {
		ObjectNode broken = this.document.deepCopy();
		((ObjectNode) broken.get("operations").get("chat.who")).put("action", "publish");
		broken.remove("info");
		assertThat(AsyncApiSchema.problems(broken)).anyMatch((problem) -> problem.contains("info"))
			.anyMatch((problem) -> problem.contains("/operations/chat.who/action"));
	}

	@Test
	void infoAndServersAreAsGiven() {
		assertThat(this.document.get("info").toString()).isEqualTo(
				"{\"title\":\"Test channels\",\"version\":\"2.1.0\",\"description\":\"Channels for the tests\"}");
		assertThat(this.document.get("servers").toString())
			.isEqualTo("{\"local\":{\"host\":\"localhost:8080\",\"protocol\":\"ws\",\"pathname\":\"/app\"},"
					+ "\"production\":{\"host\":\"example.com\",\"protocol\":\"wss\"}}");
		assertThat(this.document.get("defaultContentType").asString()).isEqualTo("application/json");
	}

	@Test
	void eachChannelHasItsRouteParametersAndQuery() {
		JsonNode chat = this.document.get("channels").get("chat");
		assertThat(chat.get("address").asString()).isEqualTo("/chat/{room}");
		assertThat(chat.get("summary").asString()).isEqualTo("Rooms");
		assertThat(chat.get("description").asString()).isEqualTo("One per room");
		assertThat(chat.get("tags").toString()).isEqualTo("[{\"name\":\"chat\"}]");
		assertThat(chat.get("parameters").toString()).isEqualTo(
				"{\"room\":{\"description\":\"Path variable 'room' of the opening data: matches [a-z0-9-]{1,32}\"}}");
		assertThat(chat.get("bindings").get("ws").toString()).isEqualTo("{\"method\":\"GET\",\"query\":{\"type\":"
				+ "\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":40}}},"
				+ "\"bindingVersion\":\"0.1.0\"}");
		JsonNode echo = this.document.get("channels").get("echo");
		assertThat(echo.has("parameters")).isFalse();
		assertThat(echo.get("bindings").get("ws").get("query").toString())
			.isEqualTo("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":{\"type\":\"string\"}}");
	}

	@Test
	void eachActionIsAReceiveOperationWithItsReplyAndError() {
		JsonNode operation = this.document.get("operations").get("chat.sendMessage");
		assertThat(operation.get("action").asString()).isEqualTo("receive");
		assertThat(operation.get("channel").get("$ref").asString()).isEqualTo("#/channels/chat");
		assertThat(operation.get("summary").asString()).isEqualTo("Sends a message");
		assertThat(operation.get("description").asString()).isEqualTo("Everyone else in the room receives it");
		assertThat(operation.get("messages").toString())
			.isEqualTo("[{\"$ref\":\"#/channels/chat/messages/sendMessage.request\"}]");
		assertThat(operation.get("reply").toString()).isEqualTo("{\"channel\":{\"$ref\":\"#/channels/chat\"},"
				+ "\"messages\":[{\"$ref\":\"#/channels/chat/messages/sendMessage.reply\"},"
				+ "{\"$ref\":\"#/channels/chat/messages/sendMessage.error\"}]}");
		assertThat(this.document.get("operations").propertyNames()).containsExactly("chat.authenticate",
				"chat.sendMessage", "chat.who", "chat.add", "chat.command.stop", "chat.onConnect",
				"chat.topic.room.room", "chat.topic.announcements", "chat.error", "echo.echo", "echo.onMessage",
				"echo.topic.topic", "echo.topic.announcements", "echo.error");
	}

	@Test
	void operationAndRequestCarryTheTagsOfTheFunctionsDocs() {
		JsonNode operations = this.document.get("operations");
		assertThat(operations.at("/chat.authenticate/tags").toString()).isEqualTo("[{\"name\":\"auth\"}]");
		assertThat(message("chat.authenticate.request").get("tags").toString()).isEqualTo("[{\"name\":\"auth\"}]");
		assertThat(operations.get("chat.sendMessage").has("tags")).as("the channel's tags stay on the channel")
			.isFalse();
	}

	@Test
	void requestCarriesTheInputTheRoutingPropertyAndTheCorrelationId() {
		JsonNode request = message("chat.sendMessage.request");
		assertThat(request.get("correlationId").get("$ref").asString())
			.isEqualTo("#/components/correlationIds/correlationId");
		assertThat(request.get("payload").toString())
			.isEqualTo("{\"allOf\":[{\"$ref\":\"#/components/schemas/Message\"},"
					+ "{\"type\":\"object\",\"properties\":{\"action\":{\"const\":\"sendMessage\",\"description\":"
					+ "\"The routing property\"},\"correlationId\":{\"type\":[\"string\",\"number\"],\"description\":"
					+ "\"Optional: echoed on the reply or error of this call only\"}},\"required\":[\"action\"]}]}");
		assertThat(this.document.at("/components/correlationIds/correlationId/location").asString())
			.isEqualTo("$message.payload#/correlationId");
	}

	@Test
	void replyCarriesAnObjectOutputsFieldsOrAnyOtherValueInResult() {
		assertThat(message("chat.sendMessage.reply").at("/payload/allOf/0/$ref").asString())
			.isEqualTo("#/components/schemas/Sent");
		JsonNode add = message("chat.add.reply").get("payload");
		assertThat(add.at("/properties/result").toString()).isEqualTo("{\"type\":\"integer\"}");
		assertThat(add.get("required").toString()).isEqualTo("[\"action\",\"result\"]");
		JsonNode stop = message("chat.command.stop.reply").get("payload");
		assertThat(stop.at("/properties/command/const").asString()).isEqualTo("stop");
		assertThat(stop.get("properties").propertyNames()).containsExactly("command", "correlationId");
	}

	@Test
	void errorListsTheCodesTheActionCanAnswerWithTheirDetails() {
		JsonNode error = message("chat.command.stop.error").at("/payload/properties/error");
		assertThat(error.at("/properties/code/enum").toString()).isEqualTo(
				"[\"rate_limited\",\"unauthorized\",\"forbidden\",\"not_found\",\"quota_exceeded\",\"internal\"]");
		assertThat(error.get("oneOf").get(0).toString()).isEqualTo("{\"description\":\"The connection sends faster "
				+ "than it may\",\"properties\":{\"code\":{\"const\":\"rate_limited\"},\"details\":{\"$ref\":"
				+ "\"#/components/schemas/PikkuRetryAfter\"}},\"required\":[\"details\"]}");
		assertThat(error.get("oneOf").get(4).at("/properties/details/$ref").asString())
			.isEqualTo("#/components/schemas/Quota");
		assertThat(message("chat.authenticate.error").at("/payload/properties/error/properties/code/enum").toString())
			.isEqualTo("[\"rate_limited\",\"validation_failed\",\"internal\"]");
		assertThat(message("chat.sendMessage.error").at("/payload/properties/error/oneOf/2").toString())
			.isEqualTo("{\"description\":\"The input does not bind or fails Bean Validation\",\"properties\":"
					+ "{\"code\":{\"const\":\"validation_failed\"},\"details\":{\"type\":\"array\",\"items\":"
					+ "{\"$ref\":\"#/components/schemas/PikkuFieldError\"}}},\"required\":[\"details\"]}");
	}

	@Test
	void operationsThatNeedASessionCarryTheSecuritySchemes() {
		String schemes = "[{\"$ref\":\"#/components/securitySchemes/bearer\"},"
				+ "{\"$ref\":\"#/components/securitySchemes/accessToken\"}]";
		assertThat(this.document.at("/operations/chat.sendMessage/security").toString()).isEqualTo(schemes);
		assertThat(this.document.at("/operations/chat.authenticate").has("security")).isFalse();
		assertThat(this.document.at("/operations/echo.echo").has("security")).isFalse();
		assertThat(this.document.at("/components/securitySchemes/accessToken").toString())
			.contains("\"type\":\"httpApiKey\",\"name\":\"access_token\",\"in\":\"query\"");
		assertThat(this.document.at("/components/securitySchemes/bearer").toString())
			.contains("\"type\":\"http\",\"scheme\":\"bearer\"");
	}

	@Test
	void topicsAreSendOperationsWithTheirDeliveries() {
		JsonNode room = this.document.at("/operations/chat.topic.room.room");
		assertThat(room.get("action").asString()).isEqualTo("send");
		assertThat(room.get("title").asString()).isEqualTo("Topic room:{room}");
		assertThat(message("chat.topic.room.room").get("payload").toString())
			.isEqualTo("{\"allOf\":[{\"$ref\":\"#/components/schemas/Delivered\"},{\"type\":\"object\",\"properties\":"
					+ "{\"topic\":{\"type\":\"string\",\"pattern\":\"^room:.+$\"}},\"required\":[\"topic\"]}]}");
		assertThat(message("echo.topic.announcements").at("/payload/allOf/1/properties/topic/const").asString())
			.isEqualTo("announcements");
		assertThat(this.document.at("/operations/echo.topic.topic/description").asString())
			.isEqualTo("{topic}: a topic the client subscribed to");
		assertThat(message("echo.topic.topic").at("/payload/required").toString()).isEqualTo("[\"topic\"]");
	}

	@Test
	void onConnectAndErrorsOutsideCallsAreSendOperations() {
		assertThat(message("chat.onConnect").at("/payload/$ref").asString()).isEqualTo("#/components/schemas/Welcome");
		assertThat(message("chat.error").at("/payload/properties/error/properties/code/enum").toString())
			.isEqualTo("[\"invalid_json\",\"unknown_action\",\"too_large\",\"unsupported_frame\",\"rate_limited\","
					+ "\"internal\"]");
		assertThat(message("chat.error").at("/payload/properties").propertyNames()).containsExactly("action", "command",
				"error");
		assertThat(this.document.at("/operations/echo.onConnect").isMissingNode()).isTrue();
	}

	@Test
	void schemasCarryTheBeanValidationConstraints() {
		JsonNode schemas = this.document.at("/components/schemas");
		assertThat(schemas.get("Room").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{\"room\":"
				+ "{\"type\":\"string\",\"pattern\":\"[a-z0-9-]{1,32}\"},\"name\":{\"type\":\"string\",\"minLength\":1,"
				+ "\"maxLength\":40}},\"required\":[\"room\"]}");
		assertThat(schemas.at("/Sum/properties/a").toString())
			.isEqualTo("{\"type\":\"integer\",\"minimum\":0,\"maximum\":100}");
		assertThat(schemas.at("/Token/properties/token").toString())
			.isEqualTo("{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096}");
	}

	@Test
	void documentWritesAsJsonAndYaml() {
		assertThat(this.writer.toJson(this.document)).startsWith("{\n  \"asyncapi\" : \"3.0.0\",").endsWith("}\n");
		assertThat(AsyncApiWriter.yamlAvailable()).isTrue();
		assertThat(this.writer.toYaml(this.document)).contains("asyncapi: \"3.0.0\"")
			.contains("address: \"/chat/{room}\"");
	}

	@Test
	void topicPatternsBecomeRegularExpressions() {
		assertThat(AsyncApiWriter.topicPattern("room:{room}")).isEqualTo("^room:.+$");
		assertThat(AsyncApiWriter.topicPattern("{topic}")).isEqualTo("^.+$");
		assertThat(AsyncApiWriter.topicPattern("a.b/{x}-(y)")).isEqualTo("^a\\.b\\/.+\\-\\(y\\)$");
	}

	@Test
	void keysKeepToWhatAsyncApiAllowsAndStayUnique() {
		AsyncApiWriter.Keys keys = new AsyncApiWriter.Keys();
		assertThat(keys.unique("topic.room:{room}")).isEqualTo("topic.room.room");
		assertThat(keys.unique("a b/c")).isEqualTo("a_b_c");
		assertThat(keys.unique("a b/c")).isEqualTo("a_b_c_2");
	}

	private JsonNode message(String name) {
		return this.document.get("components").get("messages").get(name);
	}

}
