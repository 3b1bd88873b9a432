package io.pikku.sample.apidocs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.pikku.sample.SampleApplication;
import io.pikku.test.AsyncApiSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's AsyncAPI document, served publicly: valid AsyncAPI 3.0.0, and naming every
 * channel, action, topic, path parameter and constraint of the sample app contract.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ApiDocsTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	int port;

	private JsonNode document;

	@BeforeEach
	void fetchDocument() throws Exception {
		HttpResponse<String> response = get("/pikku/asyncapi.json");
		assertThat(response.statusCode()).as("served without a login").isEqualTo(200);
		this.document = JsonMapper.builder().build().readTree(response.body());
	}

	@Test
	void documentIsValidAsyncApi300() {
		assertThat(AsyncApiSchema.problems(this.document)).isEmpty();
		assertThat(this.document.at("/info/title").asString()).isEqualTo("pikku-sample");
		assertThat(this.document.get("servers").toString())
			.isEqualTo("{\"application\":{\"host\":\"localhost:" + this.port + "\",\"protocol\":\"ws\"}}");
	}

	@Test
	void documentIsServedAsYamlToo() throws Exception {
		HttpResponse<String> response = get("/pikku/asyncapi.yaml");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("asyncapi: \"3.0.0\"");
	}

	@Test
	void everyChannelIsThereAtItsRoute() {
		assertThat(this.document.get("channels").propertyNames()).containsExactly("chat", "echo", "todos");
		assertThat(this.document.at("/channels/echo/address").asString()).isEqualTo("/echo");
		assertThat(this.document.at("/channels/chat/address").asString()).isEqualTo("/chat/{room}");
		assertThat(this.document.at("/channels/todos/address").asString()).isEqualTo("/todos");
	}

	@Test
	void everyActionAndTopicIsAnOperation() {
		assertThat(this.document.get("operations").propertyNames()).containsExactly("chat.authenticate",
				"chat.sendMessage", "chat.who", "chat.logout", "chat.onConnect", "chat.topic.room.room", "chat.error",
				"echo.echo", "echo.subscribe", "echo.unsubscribe", "echo.publish", "echo.onMessage", "echo.topic.topic",
				"echo.error", "todos.auth", "todos.subscribe", "todos.list", "todos.create", "todos.complete",
				"todos.clear", "todos.topic.todos.updated", "todos.error");
		assertThat(this.document.at("/operations/todos.topic.todos.updated/messages").toString())
			.isEqualTo("[{\"$ref\":\"#/channels/todos/messages/topic.todos.updated.TodoEvent\"},"
					+ "{\"$ref\":\"#/channels/todos/messages/topic.todos.updated.ClearedEvent\"}]");
		assertThat(this.document.at("/operations/chat.topic.room.room/title").asString())
			.isEqualTo("Topic room:{room}");
		assertThat(this.document.at("/operations/echo.topic.topic/title").asString()).isEqualTo("Topic {topic}");
	}

	@Test
	void roomIsAPathParameterWithItsPatternAndNameAQueryParameter() {
		assertThat(this.document.at("/channels/chat/parameters").toString()).isEqualTo(
				"{\"room\":{\"description\":\"Path variable 'room' of the opening data: matches [a-z0-9-]{1,32}\"}}");
		assertThat(this.document.at("/channels/chat/bindings/ws/query/properties").toString())
			.isEqualTo("{\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":40}}");
	}

	@Test
	void everyConstraintOfTheContractIsInTheSchemas() {
		JsonNode schemas = this.document.at("/components/schemas");
		assertThat(schemas.get("ChatRoom").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{\"room\":"
				+ "{\"type\":\"string\",\"pattern\":\"[a-z0-9-]{1,32}\"},\"name\":{\"type\":\"string\",\"minLength\":1,"
				+ "\"maxLength\":40}},\"required\":[\"room\"]}");
		assertThat(length(schemas.at("/EchoText/properties/text"))).containsExactly(1, 10000);
		assertThat(length(schemas.at("/Topic/properties/topic"))).containsExactly(1, 200);
		assertThat(length(schemas.at("/Publication/properties/topic"))).containsExactly(1, 200);
		assertThat(schemas.at("/Publication/required").toString()).isEqualTo("[\"topic\",\"payload\"]");
		assertThat(length(schemas.at("/Message/properties/message"))).containsExactly(1, 2000);
		assertThat(length(schemas.at("/NewTodo/properties/text"))).containsExactly(1, 500);
		assertThat(length(schemas.at("/TodoId/properties/id"))).containsExactly(1, 64);
		assertThat(length(schemas.at("/Token/properties/token"))).containsExactly(1, 4096);
		assertThat(required(schemas, "NewTodo", "Message", "EchoText", "Topic", "TodoId", "Token")).containsExactly(
				"NewTodo: [\"text\"]", "Message: [\"message\"]", "EchoText: [\"text\"]", "Topic: [\"topic\"]",
				"TodoId: [\"id\"]", "Token: [\"token\"]");
	}

	@Test
	void operationsCarryTheTagsOfTheirFunctions() {
		assertThat(this.document.at("/operations/todos.auth/tags").toString()).isEqualTo("[{\"name\":\"auth\"}]");
		assertThat(this.document.at("/operations/chat.authenticate/tags").toString())
			.isEqualTo("[{\"name\":\"auth\"}]");
		assertThat(this.document.at("/operations/echo.echo/tags").toString()).isEqualTo("[{\"name\":\"echo\"}]");
		assertThat(this.document.at("/operations/todos.create").has("tags")).isFalse();
		assertThat(this.document.at("/channels/todos/tags").toString()).isEqualTo("[{\"name\":\"todos\"}]");
	}

	@Test
	void errorsAreThoseEachActionCanAnswer() {
		assertThat(codes("todos.complete")).containsExactly("unauthorized", "validation_failed", "not_found",
				"internal");
		assertThat(codes("todos.clear")).containsExactly("unauthorized", "forbidden", "internal");
		assertThat(codes("chat.authenticate")).containsExactly("validation_failed", "internal");
		assertThat(codes("echo.subscribe")).containsExactly("validation_failed", "limit_exceeded", "internal");
		assertThat(this.document.at("/components/messages/chat.error/payload/properties/error/properties/code/enum")
			.toString())
			.isEqualTo("[\"invalid_json\",\"unknown_action\",\"too_large\",\"unsupported_frame\"," + "\"internal\"]");
	}

	@Test
	void repliesAndDeliveriesCarryTheirTypes() {
		assertThat(this.document.at("/components/messages/chat.sendMessage.reply/payload/allOf/0/$ref").asString())
			.isEqualTo("#/components/schemas/Sent");
		assertThat(this.document.at("/components/schemas/Sent/required").toString())
			.isEqualTo("[\"message\",\"userId\",\"timestamp\"]");
		assertThat(this.document.at("/components/messages/chat.onConnect/payload/$ref").asString())
			.isEqualTo("#/components/schemas/Welcome");
		assertThat(this.document.at("/components/messages/chat.topic.room.room/payload").toString())
			.isEqualTo("{\"allOf\":[{\"$ref\":\"#/components/schemas/Delivered\"},{\"type\":\"object\",\"properties\":"
					+ "{\"topic\":{\"type\":\"string\",\"pattern\":\"^room:.+$\"}},\"required\":[\"topic\"]}]}");
		assertThat(this.document.at("/components/schemas").propertyNames()).contains("EchoSubscribed",
				"TodosSubscribed", "Todo", "TodoEvent", "ClearedEvent", "Users", "LoggedOut");
	}

	@Test
	void callsThatNeedASessionNameTheHandshakeCredentials() {
		assertThat(this.document.at("/operations/chat.sendMessage/security")).hasSize(2);
		assertThat(this.document.at("/operations/todos.create/security")).hasSize(2);
		assertThat(this.document.at("/operations/chat.authenticate").has("security")).isFalse();
		assertThat(this.document.at("/operations/todos.auth").has("security")).isFalse();
		assertThat(this.document.at("/operations/echo.echo").has("security")).isFalse();
	}

	private List<String> codes(String operation) {
		String message = operation + ".error";
		List<String> codes = new ArrayList<>();
		this.document.at("/components/messages/" + message + "/payload/properties/error/properties/code/enum")
			.forEach((code) -> codes.add(code.asString()));
		return codes;
	}

	private static List<String> required(JsonNode schemas, String... names) {
		return Stream.of(names).map((name) -> name + ": " + schemas.at("/" + name + "/required")).toList();
	}

	private static List<Integer> length(JsonNode property) {
		return List.of(property.get("minLength").asInt(), property.get("maxLength").asInt());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
