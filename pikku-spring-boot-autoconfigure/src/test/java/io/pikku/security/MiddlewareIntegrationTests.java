package io.pikku.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pikku.security.MiddlewareChannels.MiddlewareLog;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wire middleware and channel middleware over real sockets: the onion order of every
 * source, what a middleware may do to a call (answer, change the result, log in, fail),
 * and what channel middleware may do to outbound messages (transform, drop, fan out).
 */
@SpringBootTest(classes = MiddlewareChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class MiddlewareIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	@LocalServerPort
	int port;

	@Autowired
	MiddlewareLog log;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	// wire middleware

	@Test
	void wireMiddlewareWrapsACallInOnionOrderFromGlobalToFunction() {
		WebSocketTestClient client = connect("/mw/onion");
		String channelId = client.receive().path("channelId").stringValue();
		int connectEntries = this.log.entries(channelId).size();
		assertThat(client.call("{\"action\":\"call\",\"n\":1,\"correlationId\":\"c1\"}").toString())
			.isEqualTo("{\"action\":\"call\",\"correlationId\":\"c1\",\"ok\":true}");
		List<String> entries = this.log.entries(channelId);
		assertThat(entries.subList(connectEntries, entries.size())).containsExactly("before:global", "before:tag",
				"before:channel", "kind:ACTION call {\"n\":1}", "before:action", "before:function", "function",
				"after:function", "after:action", "after:channel", "after:tag", "after:global");
	}

	@Test
	void wireMiddlewareOfTheChannelAndItsTagsWrapsOnConnectAndOnDisconnect() {
		WebSocketTestClient client = connect("/mw/onion");
		String channelId = client.receive().path("channelId").stringValue();
		assertThat(this.log.entries(channelId)).containsExactly("before:global", "before:tag", "before:channel",
				"kind:CONNECT", "onConnect", "after:channel", "after:tag", "after:global");
		client.close();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.log.entries(channelId)).endsWith("before:global", "before:tag",
					"before:channel", "kind:DISCONNECT", "onDisconnect", "after:channel", "after:tag", "after:global"));
		assertThat(this.log.entries(channelId)).hasSize(16).doesNotContain("before:unrelated");
	}

	@Test
	void middlewareThatDoesNotProceedAnswersWithItsOwnValue() {
		WebSocketTestClient client = connect("/mw/tricks");
		String channelId = client.receive().path("channelId").stringValue();
		assertThat(client.call("{\"action\":\"cached\"}").toString())
			.isEqualTo("{\"action\":\"cached\",\"cached\":true}");
		assertThat(this.log.entries(channelId)).containsExactly("before:global", "after:global", "before:global",
				"after:global");
	}

	@Test
	void middlewareCanChangeTheResult() {
		WebSocketTestClient client = connect("/mw/tricks");
		client.receive();
		JsonNode reply = client.call("{\"action\":\"doubled\"}");
		assertThat(reply.path("action").stringValue()).isEqualTo("doubled");
		assertThat(reply.path("value").intValue()).isEqualTo(42);
		assertThat(reply.path("changedBy").stringValue()).isEqualTo("middleware");
	}

	@Test
	void middlewareCanSetTheSessionBeforeTheAuthCheck() {
		WebSocketTestClient client = connect("/mw/tricks");
		client.receive();
		JsonNode unauthorized = client.call("{\"action\":\"whoami\"}");
		assertThat(unauthorized.path("error").path("code").stringValue()).isEqualTo("unauthorized");
		assertThat(client.call("{\"action\":\"asGuest\"}").toString())
			.isEqualTo("{\"action\":\"asGuest\",\"userId\":\"guest\"}");
		assertThat(client.call("{\"action\":\"whoami\"}").toString())
			.isEqualTo("{\"action\":\"whoami\",\"userId\":\"guest\"}");
	}

	@Test
	void middlewareThatThrowsIsAnsweredWithItsErrorAndTheFunctionDoesNotRun() {
		WebSocketTestClient client = connect("/mw/tricks");
		String channelId = client.receive().path("channelId").stringValue();
		assertThat(client.call("{\"action\":\"limited\",\"correlationId\":7}").toString()).isEqualTo(
				"{\"action\":\"limited\",\"correlationId\":7,\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\"}}");
		assertThat(this.log.entries(channelId)).doesNotContain("function:limited");
		assertThat(client.call("{\"action\":\"doubled\"}").path("value").intValue()).isEqualTo(42);
	}

	// channel middleware

	@Test
	void channelMiddlewareTransformsEveryOutboundMessageTagMiddlewareOutermost() {
		WebSocketTestClient client = connect("/mw/outbound");
		assertThat(client.receive().toString()).isEqualTo("{\"welcome\":true,\"trail\":[\"tag\",\"inline\"]}");
		assertThat(client.call("{\"action\":\"echo\",\"text\":\"hi\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"text\":\"hi\",\"trail\":[\"tag\",\"inline\"]}");
		client.send("{\"action\":\"notify\"}");
		assertThat(client.receive().toString()).isEqualTo("{\"note\":\"first\",\"trail\":[\"tag\",\"inline\"]}");
		assertThat(client.receive().toString())
			.isEqualTo("{\"action\":\"notify\",\"sent\":true,\"trail\":[\"tag\",\"inline\"]}");
	}

	@Test
	void channelMiddlewareCanDropASendOrAReply() throws InterruptedException {
		WebSocketTestClient client = connect("/mw/outbound");
		client.receive();
		assertThat(client.call("{\"action\":\"whisper\"}").toString())
			.isEqualTo("{\"action\":\"whisper\",\"sent\":true,\"trail\":[\"tag\",\"inline\"]}");
		client.assertNoMessage(QUIET);
		client.send("{\"action\":\"silent\"}");
		client.assertNoMessage(QUIET);
		assertThat(client.call("{\"action\":\"echo\",\"text\":\"still here\"}").path("text").stringValue())
			.isEqualTo("still here");
	}

	@Test
	void channelMiddlewareCanFanOutAMessageIntoSeveral() throws InterruptedException {
		WebSocketTestClient client = connect("/mw/outbound");
		client.receive();
		client.send("{\"action\":\"split\"}");
		assertThat(client.receive().toString()).isEqualTo("{\"part\":1}");
		assertThat(client.receive().toString()).isEqualTo("{\"part\":2}");
		assertThat(client.receive().toString()).isEqualTo("{\"part\":3}");
		client.assertNoMessage(QUIET);
	}

	@Test
	void errorRepliesDoNotPassThroughChannelMiddleware() {
		WebSocketTestClient client = connect("/mw/outbound");
		client.receive();
		assertThat(client.call("{\"action\":\"fail\"}").toString())
			.isEqualTo("{\"action\":\"fail\",\"error\":{\"code\":\"not_found\",\"message\":\"Nothing here\"}}");
		JsonNode unknown = client.call("{\"action\":\"nope\"}");
		assertThat(unknown.path("error").path("code").stringValue()).isEqualTo("unknown_action");
		assertThat(unknown.has("trail")).isFalse();
	}

	private WebSocketTestClient connect(String path) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + path);
		this.clients.add(client);
		return client;
	}

}
