package io.pikku.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
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
 * Sessions, auth and permissions over real sockets, with Spring Security in front of the
 * upgrade: in-band login, handshake login by bearer token (header or query parameter) and
 * HTTP Basic, every combination of auth defaults and overrides, permission groups, method
 * security inside functions, and the origin check.
 */
@SpringBootTest(classes = SecuredChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SecuredChannelIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JwtEncoder jwtEncoder;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	// in-band login

	@Test
	void inBandLoginWithATokenEstablishesTheSession() {
		WebSocketTestClient client = anonymous();
		assertError(client.call(action("whoami")), "whoami", "unauthorized");
		assertThat(client.call(authenticate(token("alice", "USER"))).toString())
			.isEqualTo("{\"action\":\"authenticate\",\"userId\":\"alice\"}");
		JsonNode whoami = client.call(action("whoami"));
		assertThat(whoami.path("userId").stringValue()).isEqualTo("alice");
		assertThat(authorities(whoami)).contains("ROLE_USER").doesNotContain("ROLE_ADMIN");
	}

	@Test
	void badTokenIsAnsweredUnauthorizedAndTheConnectionStaysOpen() {
		WebSocketTestClient client = anonymous();
		assertError(client.call(authenticate("not-a-jwt")), "authenticate", "unauthorized");
		assertError(client.call(authenticate(foreignToken("alice"))), "authenticate", "unauthorized");
		assertError(client.call(authenticate(expiredToken("alice"))), "authenticate", "unauthorized");
		assertError(client.call(action("whoami")), "whoami", "unauthorized");
		assertThat(client.call(authenticate(token("alice", "USER"))).path("userId").stringValue()).isEqualTo("alice");
		assertThat(client.call(action("whoami")).path("userId").stringValue()).isEqualTo("alice");
	}

	@Test
	void reauthenticatingAsAnotherUserReplacesTheSession() {
		WebSocketTestClient client = anonymous();
		client.call(authenticate(token("alice", "USER")));
		assertError(client.call(action("adminOnly")), "adminOnly", "forbidden");
		assertThat(client.call(authenticate(token("admin", "USER", "ADMIN"))).path("userId").stringValue())
			.isEqualTo("admin");
		JsonNode whoami = client.call(action("whoami"));
		assertThat(whoami.path("userId").stringValue()).isEqualTo("admin");
		assertThat(authorities(whoami)).contains("ROLE_USER", "ROLE_ADMIN");
		assertThat(client.call(action("adminOnly")).toString()).isEqualTo("{\"action\":\"adminOnly\",\"secret\":42}");
	}

	@Test
	void inBandLoginReplacesTheSessionOfTheHandshake() {
		WebSocketTestClient client = connect("/secure", bearer(token("alice", "USER")));
		assertThat(client.receive().path("userId").stringValue()).isEqualTo("alice");
		client.call(authenticate(token("admin", "USER", "ADMIN")));
		assertThat(client.call(action("whoami")).path("userId").stringValue()).isEqualTo("admin");
	}

	@Test
	void logoutMakesProtectedCallsUnauthorizedAgain() {
		WebSocketTestClient client = connect("/secure", bearer(token("admin", "USER", "ADMIN")));
		assertThat(client.receive().path("userId").stringValue()).isEqualTo("admin");
		assertThat(client.call(action("adminOnly")).path("secret").intValue()).isEqualTo(42);
		assertThat(client.call(action("logout")).toString()).isEqualTo("{\"action\":\"logout\",\"loggedOut\":true}");
		assertError(client.call(action("whoami")), "whoami", "unauthorized");
		assertError(client.call(action("adminOnly")), "adminOnly", "unauthorized");
		assertThat(client.call(action("whoamiFromContext")).path("inside").stringValue()).isEqualTo("none");
	}

	// handshake login

	@Test
	void bearerHeaderEstablishesTheSessionBeforeOnConnect() {
		WebSocketTestClient client = connect("/secure", bearer(token("alice", "USER")));
		assertThat(client.receive().toString()).isEqualTo("{\"userId\":\"alice\",\"contextUser\":\"alice\"}");
		JsonNode whoami = client.call(action("whoami"));
		assertThat(whoami.path("userId").stringValue()).isEqualTo("alice");
		assertThat(authorities(whoami)).contains("ROLE_USER").doesNotContain("ROLE_ADMIN");
	}

	@Test
	void accessTokenQueryParameterEstablishesTheSessionBeforeOnConnect() {
		WebSocketTestClient client = connect("/secure?access_token=" + token("admin", "USER", "ADMIN"), Map.of());
		assertThat(client.receive().toString()).isEqualTo("{\"userId\":\"admin\",\"contextUser\":\"admin\"}");
		assertThat(client.call(action("adminOnly")).path("secret").intValue()).isEqualTo(42);
	}

	@Test
	void httpBasicEstablishesTheSessionBeforeOnConnect() {
		WebSocketTestClient client = connect("/secure", basic("alice", "alice-password"));
		assertThat(client.receive().toString()).isEqualTo("{\"userId\":\"alice\",\"contextUser\":\"alice\"}");
		JsonNode whoami = client.call(action("whoami"));
		assertThat(whoami.path("userId").stringValue()).isEqualTo("alice");
		assertThat(authorities(whoami)).contains("ROLE_USER").doesNotContain("ROLE_ADMIN");
		assertError(client.call(action("adminOnly")), "adminOnly", "forbidden");
	}

	@Test
	void wrongOrExpiredCredentialsAtTheHandshakeAreRefusedWith401() throws Exception {
		assertThat(upgrade("/secure", bearer("not-a-jwt")).status()).isEqualTo(401);
		assertThat(upgrade("/secure", bearer(foreignToken("alice"))).status()).isEqualTo(401);
		assertThat(upgrade("/secure", bearer(expiredToken("alice"))).status()).isEqualTo(401);
		assertThat(upgrade("/secure?access_token=not-a-jwt", Map.of()).status()).isEqualTo(401);
		assertThat(upgrade("/secure?access_token=" + expiredToken("alice"), Map.of()).status()).isEqualTo(401);
		assertThat(upgrade("/secure", basic("alice", "wrong-password")).status()).isEqualTo(401);
		assertThat(upgrade("/secure", bearer(token("alice", "USER"))).status()).isEqualTo(101);
	}

	@Test
	void noCredentialConnectsAnonymouslyAndProtectedCallsAreUnauthorized() {
		WebSocketTestClient client = connect("/secure", Map.of());
		assertThat(client.receive().toString()).isEqualTo("{\"userId\":\"anonymous\",\"contextUser\":\"none\"}");
		assertError(client.call(action("whoami")), "whoami", "unauthorized");
		assertError(client.call(action("adminOnly")), "adminOnly", "unauthorized");
		assertError(client.call("{\"action\":\"transfer\",\"from\":\"alice\",\"amount\":1}"), "transfer",
				"unauthorized");
		assertThat(client.call(action("whoamiFromContext")).path("inside").stringValue()).isEqualTo("none");
	}

	// auth defaults and overrides

	@Test
	void channelWithoutAuthSettingRequiresASessionForActionsWithoutOne() {
		WebSocketTestClient client = anonymous();
		assertError(client.call(action("whoami")), "whoami", "unauthorized");
		assertThat(client.call(action("logout")).path("loggedOut").booleanValue()).isTrue();
	}

	@Test
	void channelThatRequiresAuthLetsTheWiringOrTheFunctionOptOut() {
		WebSocketTestClient client = connect("/auth/required", Map.of());
		assertThat(client.call(action("wiredOpen")).toString())
			.isEqualTo("{\"action\":\"wiredOpen\",\"userId\":\"anonymous\"}");
		assertThat(client.call(action("functionOpen")).toString())
			.isEqualTo("{\"action\":\"functionOpen\",\"userId\":\"anonymous\"}");
		assertError(client.call(action("closed")), "closed", "unauthorized");
		WebSocketTestClient alice = connect("/auth/required", bearer(token("alice", "USER")));
		assertThat(alice.call(action("wiredOpen")).path("userId").stringValue()).isEqualTo("alice");
		assertThat(alice.call(action("functionOpen")).path("userId").stringValue()).isEqualTo("alice");
		assertThat(alice.call(action("closed")).path("userId").stringValue()).isEqualTo("alice");
	}

	@Test
	void channelWithoutAuthLetsAFunctionRequireASession() {
		WebSocketTestClient client = connect("/auth/optional", Map.of());
		assertThat(client.call(action("free")).toString()).isEqualTo("{\"action\":\"free\",\"userId\":\"anonymous\"}");
		assertThat(client.call(action("functionOpen")).path("userId").stringValue()).isEqualTo("anonymous");
		assertError(client.call(action("functionLocked")), "functionLocked", "unauthorized");
		WebSocketTestClient alice = connect("/auth/optional", bearer(token("alice", "USER")));
		assertThat(alice.call(action("functionLocked")).path("userId").stringValue()).isEqualTo("alice");
	}

	@Test
	void wiringAuthOverridesTheFunctionsAuth() {
		WebSocketTestClient client = connect("/auth/optional", Map.of());
		assertError(client.call(action("wiredLocked")), "wiredLocked", "unauthorized");
		assertThat(client.call(action("wiredOpen")).toString())
			.isEqualTo("{\"action\":\"wiredOpen\",\"userId\":\"anonymous\"}");
		WebSocketTestClient alice = connect("/auth/optional", bearer(token("alice", "USER")));
		assertThat(alice.call(action("wiredLocked")).path("userId").stringValue()).isEqualTo("alice");
		assertThat(alice.call(action("wiredOpen")).path("userId").stringValue()).isEqualTo("alice");
	}

	// permissions

	@Test
	void hasRolePermissionForbidsAUserWithoutTheRole() {
		WebSocketTestClient alice = connect("/secure", bearer(token("alice", "USER")));
		alice.receive();
		assertError(alice.call(action("adminOnly")), "adminOnly", "forbidden");
		WebSocketTestClient admin = connect("/secure", basic("admin", "admin-password"));
		admin.receive();
		assertThat(admin.call(action("adminOnly")).toString()).isEqualTo("{\"action\":\"adminOnly\",\"secret\":42}");
	}

	@Test
	void anyPermissionGroupPassesWhenAllOfItsChecksPass() {
		WebSocketTestClient alice = connect("/secure", bearer(token("alice", "USER")));
		alice.receive();
		assertThat(alice.call(transfer("alice", 50)).toString())
			.isEqualTo("{\"action\":\"transfer\",\"moved\":50,\"from\":\"alice\"}");
		assertError(alice.call(transfer("alice", 500)), "transfer", "forbidden");
		assertError(alice.call(transfer("bob", 50)), "transfer", "forbidden");
		WebSocketTestClient admin = connect("/secure", bearer(token("admin", "USER", "ADMIN")));
		admin.receive();
		assertThat(admin.call(transfer("bob", 500)).path("moved").intValue()).isEqualTo(500);
	}

	@Test
	void permissionsRunBeforeValidationAndSeeTheBoundInput() {
		WebSocketTestClient alice = connect("/secure", bearer(token("alice", "USER")));
		alice.receive();
		assertError(alice.call(transfer("alice", -5)), "transfer", "validation_failed");
		assertError(alice.call(transfer("bob", -5)), "transfer", "forbidden");
	}

	@Test
	void wiringPermissionsOverrideFunctionPermissions() {
		WebSocketTestClient alice = connect("/secure", bearer(token("alice", "USER")));
		alice.receive();
		assertError(alice.call(action("guarded")), "guarded", "forbidden");
		assertThat(alice.call(action("guardedForUsers")).toString())
			.isEqualTo("{\"action\":\"guardedForUsers\",\"guarded\":true}");
	}

	@Test
	void channelPermissionsApplyWhenNeitherTheFunctionNorTheWiringSetsAny() {
		WebSocketTestClient alice = connect("/perm/admins", bearer(token("alice", "USER")));
		assertError(alice.call(action("report")), "report", "forbidden");
		assertThat(alice.call(action("functionForUsers")).path("userId").stringValue()).isEqualTo("alice");
		assertThat(alice.call(action("wiredForUsers")).path("userId").stringValue()).isEqualTo("alice");
		WebSocketTestClient admin = connect("/perm/admins", bearer(token("admin", "USER", "ADMIN")));
		assertThat(admin.call(action("report")).toString()).isEqualTo("{\"action\":\"report\",\"userId\":\"admin\"}");
	}

	// method security

	@Test
	void methodSecurityInsideAFunctionSeesTheSessionUser() {
		WebSocketTestClient admin = connect("/secure", bearer(token("admin", "USER", "ADMIN")));
		admin.receive();
		assertThat(admin.call(action("adminReport")).toString())
			.isEqualTo("{\"action\":\"adminReport\",\"report\":\"for admin\"}");
	}

	@Test
	void methodSecurityDenialIsAnsweredForbidden() {
		WebSocketTestClient alice = anonymous();
		alice.call(authenticate(token("alice", "USER")));
		assertError(alice.call(action("adminReport")), "adminReport", "forbidden");
		assertThat(alice.call(action("whoami")).path("userId").stringValue()).isEqualTo("alice");
	}

	@Test
	void securityContextHoldsTheSessionUserOnlyWhileItsFunctionRuns() {
		WebSocketTestClient alice = connect("/secure", bearer(token("alice", "USER")));
		alice.receive();
		WebSocketTestClient anonymous = anonymous();
		for (int i = 0; i < 50; i++) {
			assertThat(alice.call(action("whoamiFromContext")).toString()).as("call %d", i)
				.isEqualTo(
						"{\"action\":\"whoamiFromContext\",\"inside\":\"alice\",\"before\":\"none\",\"after\":\"none\"}");
			assertThat(anonymous.call(action("whoamiFromContext")).toString()).as("call %d", i)
				.isEqualTo(
						"{\"action\":\"whoamiFromContext\",\"inside\":\"none\",\"before\":\"none\",\"after\":\"none\"}");
		}
	}

	// origins

	@Test
	void crossOriginUpgradeIsRefusedEvenWithAValidToken() throws Exception {
		String token = token("admin", "USER", "ADMIN");
		assertThat(upgrade("/secure", Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example"))
			.status()).isEqualTo(403);
		assertThat(upgrade("/secure?access_token=" + token, Map.of("Origin", "https://evil.example")).status())
			.isEqualTo(403);
		assertThat(upgrade("/secure",
				Map.of("Authorization", "Bearer " + token, "Origin", "http://localhost:" + this.port))
			.status()).isEqualTo(101);
	}

	// helpers

	private WebSocketTestClient connect(String pathAndQuery, Map<String, String> headers) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + pathAndQuery, headers);
		this.clients.add(client);
		return client;
	}

	/**
	 * Connects to the secure channel without credentials and reads its welcome.
	 */
	private WebSocketTestClient anonymous() {
		WebSocketTestClient client = connect("/secure", Map.of());
		assertThat(client.receive().path("userId").stringValue()).isEqualTo("anonymous");
		return client;
	}

	private RawHandshake.Response upgrade(String pathAndQuery, Map<String, String> headers) throws Exception {
		return RawHandshake.upgrade(this.port, pathAndQuery, headers);
	}

	private String token(String subject, String... roles) {
		return token(this.jwtEncoder, subject, Instant.now().plus(Duration.ofHours(1)), roles);
	}

	private String expiredToken(String subject) {
		return token(this.jwtEncoder, subject, Instant.now().minus(Duration.ofHours(1)), "USER");
	}

	/** A well-formed token signed with another secret. */
	private static String foreignToken(String subject) {
		byte[] otherSecret = "another-secret-that-this-server-does-not-know-0123456789"
			.getBytes(StandardCharsets.UTF_8);
		JwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(otherSecret, "HmacSHA256")));
		return token(encoder, subject, Instant.now().plus(Duration.ofHours(1)), "USER", "ADMIN");
	}

	static String token(JwtEncoder encoder, String subject, Instant expiresAt, String... roles) {
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.subject(subject)
			.issuedAt(expiresAt.minus(Duration.ofHours(2)))
			.expiresAt(expiresAt)
			.claim("roles", List.of(roles))
			.build();
		return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
	}

	private static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token);
	}

	private static Map<String, String> basic(String username, String password) {
		String credentials = Base64.getEncoder()
			.encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
		return Map.of("Authorization", "Basic " + credentials);
	}

	private static String action(String name) {
		return "{\"action\":\"" + name + "\"}";
	}

	private static String authenticate(String token) {
		return "{\"action\":\"authenticate\",\"token\":\"" + token + "\"}";
	}

	private static String transfer(String from, int amount) {
		return "{\"action\":\"transfer\",\"from\":\"" + from + "\",\"amount\":" + amount + "}";
	}

	private static List<String> authorities(JsonNode whoami) {
		List<String> authorities = new ArrayList<>();
		whoami.path("authorities").forEach((authority) -> authorities.add(authority.stringValue()));
		return authorities;
	}

	private static void assertError(JsonNode reply, String action, String code) {
		assertThat(reply.path("error").path("code").stringValue()).as(reply.toString()).isEqualTo(code);
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo(action);
		assertThat(reply.path("error").path("message").stringValue()).isNotBlank();
	}

}
