package io.pikku.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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

/**
 * On the reactive stack, a credential in the {@code access_token} query parameter
 * authenticates the upgrade, yet never appears in Spring's debug logging of the request
 * and the WebSocket session, whether the token is accepted or refused.
 */
@SpringBootTest(classes = SecuredChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "logging.level.org.springframework.web=DEBUG",
				"logging.level.org.springframework.web.reactive.socket=TRACE",
				"logging.level.org.springframework.http.server.reactive=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class ReactiveAccessTokenMaskingIntegrationTests {

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
		assertThat(output.getAll()).as("WebFlux logged the masked URL")
			.contains("HTTP GET \"/secure?room=a&access_token=***&x=1\"")
			.contains("HTTP GET \"/secure?access_token=***\"");
		assertThat(output.getAll()).doesNotContain(token).doesNotContain(refused);
	}

}
