package io.pikku.sample.security;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/login} and the tokens it issues, at the handshake, over real sockets.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LoginTests {

	@LocalServerPort
	int port;

	@Autowired
	JwtEncoder sampleEncoder;

	@Test
	void eachDemoUserGetsASignedTokenForThemselves() {
		for (String user : List.of("alice", "bob", "admin")) {
			HttpResponse<String> response = SampleLogin.login(this.port, user, user + "-pass");
			assertThat(response.statusCode()).as(user).isEqualTo(200);
			JsonNode body = SampleLogin.json(response.body());
			assertThat(body.propertyNames()).containsExactly("token");
			String token = body.path("token").stringValue();
			JsonNode header = SampleLogin
				.json(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
			assertThat(header.path("alg").stringValue()).isEqualTo("HS256");
			JsonNode claims = SampleLogin.claims(token);
			assertThat(claims.path("sub").stringValue()).isEqualTo(user);
			assertThat(claims.path("exp").longValue()).isGreaterThan(Instant.now().getEpochSecond());
		}
	}

	@Test
	void wrongPasswordIsUnauthorized() {
		HttpResponse<String> response = SampleLogin.login(this.port, "alice", "bob-pass");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("token");
	}

	@Test
	void unknownUserIsUnauthorized() {
		HttpResponse<String> response = SampleLogin.login(this.port, "mallory", "mallory-pass");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).doesNotContain("token");
	}

	@Test
	void missingOrMalformedFieldsAreClientErrorsNeverServerErrors() {
		List<String> bodies = List.of("{}", "{\"username\":\"alice\"}", "{\"password\":\"alice-pass\"}",
				"{\"username\":\"\",\"password\":\"\"}", "{\"username\":null,\"password\":null}",
				"{\"username\":\"alice\",\"password\":\"  \"}", "{\"username\":[1],\"password\":{}}", "{oops", "", "[]",
				"null");
		for (String body : bodies) {
			int status = SampleLogin.post(this.port, "application/json", body).statusCode();
			assertThat(status).as(body).isBetween(400, 499);
		}
		int status = SampleLogin.post(this.port, "text/plain", "username=alice&password=alice-pass").statusCode();
		assertThat(status).isBetween(400, 499);
	}

	@Test
	void aTokenIsAcceptedAtTheHandshakeAsABearerHeader() throws Exception {
		String token = SampleLogin.token(this.port, "alice");
		assertThat(RawHandshake.upgrade(this.port, "/chat/login-header", Map.of("Authorization", "Bearer " + token))
			.status()).isEqualTo(101);
		try (WebSocketTestClient client = WebSocketTestClient.connect(
				"ws://localhost:" + this.port + "/chat/login-header-ws", Map.of("Authorization", "Bearer " + token))) {
			assertThat(client.receive().path("welcome").stringValue()).isEqualTo("Welcome to login-header-ws!");
			assertThat(client.call("{\"action\":\"who\"}").toString())
				.isEqualTo("{\"action\":\"who\",\"users\":[\"alice\"]}");
		}
	}

	@Test
	void aTokenIsAcceptedAtTheHandshakeAsAnAccessTokenQueryParameter() throws Exception {
		String token = SampleLogin.token(this.port, "bob");
		assertThat(RawHandshake.upgrade(this.port, "/chat/login-query?access_token=" + token, Map.of()).status())
			.isEqualTo(101);
		try (WebSocketTestClient client = WebSocketTestClient
			.connect("ws://localhost:" + this.port + "/chat/login-query-ws?access_token=" + token)) {
			assertThat(client.receive().path("welcome").stringValue()).isEqualTo("Welcome to login-query-ws!");
			assertThat(client.call("{\"action\":\"who\"}").toString())
				.isEqualTo("{\"action\":\"who\",\"users\":[\"bob\"]}");
		}
	}

	@Test
	void badOrTamperedTokensAreRefusedAtTheHandshake() throws Exception {
		String token = SampleLogin.token(this.port, "alice");
		String[] parts = token.split("\\.");
		String claimsAsBob = SampleLogin.claims(token).toString().replace("\"sub\":\"alice\"", "\"sub\":\"bob\"");
		assertThat(claimsAsBob).contains("\"sub\":\"bob\"");
		String asBob = parts[0] + "." + base64Url(claimsAsBob) + "." + parts[2];
		char[] signature = parts[2].toCharArray();
		signature[5] = (signature[5] == 'A') ? 'B' : 'A';
		String badSignature = parts[0] + "." + parts[1] + "." + new String(signature);
		String unsigned = base64Url("{\"alg\":\"none\"}") + "." + parts[1] + ".";
		for (String bad : List.of("not-a-jwt", asBob, badSignature, unsigned, token + "x")) {
			assertRefused(bad);
		}
	}

	@Test
	void aTokenSignedWithAnotherSecretIsRefusedAtTheHandshake() throws Exception {
		byte[] otherSecret = "another-secret-that-is-also-at-least-256-bits-long".getBytes(StandardCharsets.UTF_8);
		JwtEncoder otherEncoder = new NimbusJwtEncoder(
				new ImmutableSecret<>(new SecretKeySpec(otherSecret, "HmacSHA256")));
		Instant now = Instant.now();
		String forged = encode(otherEncoder, now, now.plusSeconds(3600));
		assertThat(SampleLogin.claims(forged).path("sub").stringValue()).isEqualTo("alice");
		assertRefused(forged);
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/chat/forged")) {
			client.receive();
			JsonNode reply = client.call("{\"action\":\"authenticate\",\"token\":\"" + forged + "\"}");
			assertThat(reply.path("error").path("code").stringValue()).isEqualTo("unauthorized");
		}
	}

	@Test
	void anExpiredTokenIsRefusedAtTheHandshake() throws Exception {
		Instant now = Instant.now();
		String expired = encode(this.sampleEncoder, now.minusSeconds(7200), now.minusSeconds(3600));
		assertRefused(expired);
		String valid = encode(this.sampleEncoder, now, now.plusSeconds(3600));
		assertThat(
				RawHandshake.upgrade(this.port, "/chat/expired", Map.of("Authorization", "Bearer " + valid)).status())
			.isEqualTo(101);
	}

	private void assertRefused(String token) throws Exception {
		for (String path : List.of("/chat/lobby", "/todos", "/echo")) {
			assertThat(RawHandshake.upgrade(this.port, path, Map.of("Authorization", "Bearer " + token)).status())
				.as("%s with header %s", path, token)
				.isEqualTo(401);
			String query = (path.contains("?") ? "&" : "?") + "access_token="
					+ URLEncoder.encode(token, StandardCharsets.UTF_8);
			assertThat(RawHandshake.upgrade(this.port, path + query, Map.of()).status())
				.as("%s with query %s", path, token)
				.isEqualTo(401);
		}
	}

	private static String encode(JwtEncoder encoder, Instant issuedAt, Instant expiresAt) {
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.subject("alice")
			.issuedAt(issuedAt)
			.expiresAt(expiresAt)
			.claim("roles", List.of("USER"))
			.build();
		return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
	}

	private static String base64Url(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
