package io.pikku.apidocs.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.pikku.test.AsyncApiSchema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AsyncAPI document served by a real server, naming the server the request reached
 * ({@code wss} when a proxy in front says it was reached over https).
 */
@SpringBootTest(classes = DocumentedChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pikku.api-docs.path=/docs/channels", "server.servlet.context-path=/app",
				"spring.webflux.base-path=/app", "spring.application.name=notes",
				"server.forward-headers-strategy=framework" })
class ApiDocsEndpointIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void documentIsServedAsJsonNamingThisServer() throws Exception {
		HttpResponse<String> response = get("/app/docs/channels.json");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode document = JsonMapper.builder().build().readTree(response.body());
		assertThat(AsyncApiSchema.problems(document)).isEmpty();
		assertThat(document.at("/info/title").asString()).isEqualTo("notes");
		assertThat(document.get("servers").toString()).isEqualTo("{\"application\":{\"host\":\"localhost:" + this.port
				+ "\",\"protocol\":\"ws\",\"pathname\":\"/app\"}}");
		assertThat(document.at("/channels/notes/address").asString()).isEqualTo("/notes");
		assertThat(document.at("/components/schemas/Note/properties/text/type").asString()).isEqualTo("string");
		assertThat(document.at("/operations/notes.topic.notes.added/action").asString()).isEqualTo("send");
	}

	@Test
	void requestForwardedOverHttpsNamesAWssServer() throws Exception {
		HttpResponse<String> response = get("/app/docs/channels.json", "X-Forwarded-Proto", "https", "X-Forwarded-Host",
				"channels.example.com");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode document = JsonMapper.builder().build().readTree(response.body());
		assertThat(document.get("servers").toString()).isEqualTo(
				"{\"application\":{\"host\":\"channels.example.com\",\"protocol\":\"wss\",\"pathname\":\"/app\"}}");
		assertThat(AsyncApiSchema.problems(document)).isEmpty();
	}

	@Test
	void documentIsServedAsYaml() throws Exception {
		HttpResponse<String> response = get("/app/docs/channels.yaml");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/yaml"));
		assertThat(response.body()).contains("asyncapi: \"3.0.0\"").contains("address: \"/notes\"");
	}

	@Test
	void defaultPathIsNotServedWhenAnotherIsSet() throws Exception {
		assertThat(get("/app/pikku/asyncapi.json").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
