package io.pikku.web;

import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits per connection over a real socket: the burst passes, the next call answers
 * {@code rate_limited} with its routing property and a retry hint, the connection stays
 * open, other connections are not affected, and an action may have its own limit.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pikku.rate-limit.messages-per-second=4", "pikku.rate-limit.burst=3" })
class RateLimitIntegrationTests {

	@LocalServerPort
	int port;

	private WebSocketTestClient client;

	@AfterEach
	void close() {
		if (this.client != null) {
			this.client.close();
		}
	}

	private WebSocketTestClient connect() {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/limits");
		client.receive();
		return client;
	}

	@Test
	void callsOverTheBurstAreAnsweredRateLimitedWithARetryHint() throws Exception {
		this.client = connect();
		for (int i = 0; i < 3; i++) {
			assertThat(this.client.call("{\"action\":\"echo\",\"text\":\"ok\"}").has("error")).isFalse();
		}
		JsonNode limited = this.client.call("{\"action\":\"echo\",\"text\":\"too many\",\"correlationId\":\"r\"}");
		assertThat(limited.path("action").stringValue()).isEqualTo("echo");
		assertThat(limited.path("correlationId").stringValue()).isEqualTo("r");
		assertThat(limited.path("error").path("code").stringValue()).isEqualTo("rate_limited");
		long retryAfter = limited.path("error").path("details").path("retryAfterMs").longValue();
		assertThat(retryAfter).isBetween(1L, 250L);
		try (WebSocketTestClient other = connect()) {
			assertThat(other.call("{\"action\":\"echo\",\"text\":\"mine\"}").path("text").stringValue())
				.isEqualTo("mine");
		}
		Thread.sleep(retryAfter + 20);
		assertThat(this.client.call("{\"action\":\"echo\",\"text\":\"again\"}").path("text").stringValue())
			.isEqualTo("again");
		assertThat(this.client.isClosed()).isFalse();
	}

	@Test
	void badFramesCountToo() {
		this.client = connect();
		for (int i = 0; i < 3; i++) {
			assertThat(this.client.call("not json").path("error").path("code").stringValue()).isEqualTo("invalid_json");
		}
		assertThat(this.client.call("not json").path("error").path("code").stringValue()).isEqualTo("rate_limited");
	}

	@Test
	void anActionWithItsOwnLimitUsesItInsteadOfTheConnections() {
		this.client = connect();
		assertThat(this.client.call("{\"action\":\"limited\"}").toString()).isEqualTo("{\"action\":\"limited\"}");
		assertThat(this.client.call("{\"action\":\"limited\"}").toString()).isEqualTo("{\"action\":\"limited\"}");
		JsonNode limited = this.client.call("{\"action\":\"limited\"}");
		assertThat(limited.path("error").path("code").stringValue()).isEqualTo("rate_limited");
		assertThat(limited.path("error").path("details").path("retryAfterMs").longValue()).isBetween(500L, 1000L);
		assertThat(this.client.call("{\"action\":\"echo\",\"text\":\"still\"}").path("text").stringValue())
			.isEqualTo("still");
	}

}
