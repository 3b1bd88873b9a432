package io.pikku.client;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link PikkuClient}'s builder and URIs, without a server.
 */
class PikkuClientTests {

	@Test
	void httpBaseUrisBecomeWebSocketUrisWithoutTrailingSlash() {
		assertThat(PikkuClient.builder("http://localhost:8080/").build().baseUri())
			.isEqualTo(URI.create("ws://localhost:8080"));
		assertThat(PikkuClient.builder("https://example.com/app/").build().baseUri())
			.isEqualTo(URI.create("wss://example.com/app"));
		assertThat(PikkuClient.builder("wss://example.com").build().baseUri())
			.isEqualTo(URI.create("wss://example.com"));
	}

	@Test
	void badBaseUrisAreRefusedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> PikkuClient.builder("ftp://host"))
			.withMessageContaining("scheme must be ws, wss, http or https");
		assertThatIllegalArgumentException().isThrownBy(() -> PikkuClient.builder("localhost:8080"))
			.withMessageContaining("Invalid base URI");
		assertThatIllegalArgumentException().isThrownBy(() -> PikkuClient.builder("ws:///path"))
			.withMessageContaining("no host");
		assertThatIllegalArgumentException().isThrownBy(() -> PikkuClient.builder("ws://host/x?a=b"))
			.withMessageContaining("must not have a query");
		assertThatIllegalArgumentException().isThrownBy(() -> PikkuClient.builder("ws://host bad"))
			.withMessageContaining("Invalid base URI 'ws://host bad'");
	}

	@Test
	void buildingWithoutABaseUriSaysHowToSetOne() {
		assertThatIllegalStateException().isThrownBy(() -> PikkuClient.builder().build())
			.withMessageContaining("baseUri(");
	}

	@Test
	void routesAreExpandedAndEncodedAgainstTheBasePath() {
		PikkuClient client = PikkuClient.builder("ws://localhost:8080/ctx").build();
		Map<String, Object> query = new LinkedHashMap<>();
		query.put("name", "Ann B.");
		query.put("tag", List.of("a&b", "c"));
		assertThat(client.uri("/chat/{room}", Map.of("room", "caf\u00e9 1/2"), query))
			.isEqualTo(URI.create("ws://localhost:8080/ctx/chat/caf%C3%A9%201%2F2?name=Ann%20B.&tag=a%26b&tag=c"));
		assertThat(client.uri("/echo", Map.of(), Map.of())).isEqualTo(URI.create("ws://localhost:8080/ctx/echo"));
	}

	@Test
	void aMissingPathVariableOrARelativeRouteIsRefused() {
		PikkuClient client = PikkuClient.builder("ws://localhost:8080").build();
		assertThatIllegalArgumentException().isThrownBy(() -> client.connect("/chat/{room}"))
			.withMessage("No value for path variable 'room' of route '/chat/{room}'");
		assertThatIllegalArgumentException().isThrownBy(() -> client.connect("echo"))
			.withMessage("A route must start with '/': 'echo'");
	}

	@Test
	void settingsThatCannotWorkAreRefused() {
		PikkuClient.Builder builder = PikkuClient.builder("ws://localhost");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.callTimeout(Duration.ZERO))
			.withMessage("The call timeout must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.sendQueueLimit(0))
			.withMessage("The send queue limit must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.header("Sec-WebSocket-Key", "x"))
			.withMessageContaining("set by the WebSocket handshake");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.header("Host", "x"))
			.withMessageContaining("set by the WebSocket handshake");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.routingProperty(" "))
			.withMessage("The routing property must not be blank");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PikkuClient.builder("ws://localhost").correlationField("action").build())
			.withMessageContaining("must differ from the routing property 'action'");
	}

	@Test
	void mutateKeepsTheSettingsAndChangesOnlyWhatIsSet() {
		PikkuClient client = PikkuClient.builder("ws://localhost:1").routingProperty("command").build();
		PikkuClient other = client.mutate().bearerToken("t").build();
		assertThat(other.baseUri()).isEqualTo(client.baseUri());
		assertThat(other).isNotSameAs(client);
	}

	@Test
	void reconnectPolicyGrowsTheDelayUpToTheMaximum() {
		ReconnectPolicy policy = ReconnectPolicy.backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
		assertThat(policy.delay(1)).isBetween(Duration.ofMillis(80), Duration.ofMillis(100));
		assertThat(policy.delay(3)).isBetween(Duration.ofMillis(320), Duration.ofMillis(400));
		assertThat(policy.delay(30)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
		assertThat(ReconnectPolicy.NONE.enabled()).isFalse();
		assertThat(policy.withMaxAttempts(3).maxAttempts()).isEqualTo(3);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReconnectPolicy.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
			.withMessage("The maximum delay must be at least the initial delay");
	}

	@Test
	void aServerThatIsNotThereFailsTheConnectWithTheUri() {
		PikkuClient client = PikkuClient.builder("ws://127.0.0.1:1").connectTimeout(Duration.ofSeconds(2)).build();
		assertThat(client.connect("/echo")).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(PikkuClientException.class)
			.withMessageContaining("ws://127.0.0.1:1/echo");
	}

}
