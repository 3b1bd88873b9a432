package io.pikku.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs the demo users in through {@code POST /api/login} with the JDK's HTTP client, for
 * the sample's tests.
 */
public final class SampleLogin {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private SampleLogin() {
	}

	/**
	 * Posts a body to {@code /api/login}.
	 * @param port the server port
	 * @param contentType the content type of the body
	 * @param body the body
	 * @return the response
	 */
	public static HttpResponse<String> post(int port, String contentType, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/login"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", contentType)
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Posts JSON credentials to {@code /api/login}.
	 * @param port the server port
	 * @param username the user name
	 * @param password the password
	 * @return the response
	 */
	public static HttpResponse<String> login(int port, String username, String password) {
		return post(port, "application/json",
				json.writeValueAsString(Map.of("username", username, "password", password)));
	}

	/**
	 * A token for a demo user, whose password is its name followed by {@code -pass}.
	 * @param port the server port
	 * @param username {@code alice}, {@code bob} or {@code admin}
	 * @return the token
	 */
	public static String token(int port, String username) {
		HttpResponse<String> response = login(port, username, username + "-pass");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String token = json.readTree(response.body()).path("token").stringValue();
		assertThat(token).isNotBlank();
		return token;
	}

	/**
	 * The claims of a JWT, decoded without checking its signature.
	 * @param token the token
	 * @return the claims
	 */
	public static JsonNode claims(String token) {
		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(3);
		return json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

	/**
	 * Parses JSON.
	 * @param text the JSON text
	 * @return the tree
	 */
	public static JsonNode json(String text) {
		return json.readTree(text);
	}

}
