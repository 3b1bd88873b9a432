package io.pikku.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jwt.JwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A credential in the {@code access_token} query parameter authenticates the upgrade, yet
 * never appears in a log: not in Spring's debug logging of the request and the WebSocket
 * session, not in Tomcat's access log, whether the token is accepted or refused.
 */
@SpringBootTest(classes = SecuredChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.org.springframework.web=DEBUG",
				"logging.level.org.springframework.web.socket=TRACE", "server.tomcat.accesslog.enabled=true",
				"server.tomcat.basedir=target/access-token-masking", "server.tomcat.accesslog.directory=logs",
				"server.tomcat.accesslog.buffered=false", "server.tomcat.accesslog.prefix=access",
				"server.tomcat.accesslog.pattern=%r %s" })
@ExtendWith(OutputCaptureExtension.class)
class AccessTokenMaskingIntegrationTests {

	private static final Path ACCESS_LOGS = Path.of("target/access-token-masking/logs");

	@LocalServerPort
	int port;

	@Autowired
	JwtEncoder jwtEncoder;

	@Test
	void theTokenAuthenticatesButIsMaskedInEveryLog(CapturedOutput output) throws Exception {
		String token = SecuredChannelIntegrationTests.token(this.jwtEncoder, "admin",
				Instant.now().plus(Duration.ofHours(1)), "USER", "ADMIN");
		String refused = "refused-credential-4711";
		try (WebSocketTestClient client = WebSocketTestClient
			.connect("ws://localhost:" + this.port + "/secure?room=a&access_token=" + token + "&x=1")) {
			assertThat(client.receive().toString()).isEqualTo("{\"userId\":\"admin\",\"contextUser\":\"admin\"}");
		}
		assertThat(RawHandshake.upgrade(this.port, "/secure?access_token=" + refused, Map.of()).status())
			.isEqualTo(401);

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(accessLog()).contains("GET /secure?access_token=*** HTTP/1.1 401")
				.contains("GET /secure?room=a&access_token=***&x=1 HTTP/1.1 101"));
		assertThat(accessLog()).doesNotContain(token).doesNotContain(refused);
		assertThat(output.getAll()).as("Spring logged the masked URL").contains("access_token=***");
		assertThat(output.getAll()).doesNotContain(token).doesNotContain(refused);
	}

	private static String accessLog() throws IOException {
		StringBuilder log = new StringBuilder();
		try (Stream<Path> files = Files.list(ACCESS_LOGS)) {
			for (Path file : files.toList()) {
				log.append(Files.readString(file, StandardCharsets.UTF_8));
			}
		}
		return log.toString();
	}

}
