package io.pikku.sample.echo;

import io.pikku.eventhub.EventHub;
import io.pikku.sample.SampleApplication;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code echo} channel of the sample app contract, over a real socket.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class EchoChannelTests {

	@LocalServerPort
	int port;

	@Autowired
	EventHub eventHub;

	private WebSocketTestClient client;

	@BeforeEach
	void connect() {
		this.client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/echo");
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void echoAnswersTheSameText() {
		assertThat(this.client.call("{\"action\":\"echo\",\"text\":\"hello\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"text\":\"hello\"}");
	}

	@Test
	void echoAcceptsTenThousandCharacters() {
		String text = "\u00e9".repeat(10_000);
		JsonNode reply = this.client.call("{\"action\":\"echo\",\"text\":\"" + text + "\",\"correlationId\":1}");
		assertThat(reply.path("text").stringValue()).isEqualTo(text);
		assertThat(reply.path("correlationId").intValue()).isEqualTo(1);
	}

	@Test
	void echoRefusesEmptyAndOverLongText() {
		assertValidationFailed(this.client.call("{\"action\":\"echo\",\"text\":\"\"}"));
		assertValidationFailed(this.client.call("{\"action\":\"echo\",\"text\":\"" + "x".repeat(10_001) + "\"}"));
		assertValidationFailed(this.client.call("{\"action\":\"echo\"}"));
		assertValidationFailed(this.client.call("{\"action\":\"echo\",\"text\":5}"));
		assertThat(this.client.call("{\"action\":\"echo\",\"text\":\"ok\"}").path("text").stringValue())
			.isEqualTo("ok");
	}

	private static void assertValidationFailed(JsonNode reply) {
		assertValidationFailed(reply, "echo", "text");
	}

	private static void assertValidationFailed(JsonNode reply, String action, String field) {
		assertThat(reply.path("action").stringValue()).isEqualTo(action);
		assertThat(reply.path("error").path("code").stringValue()).isEqualTo("validation_failed");
		assertThat(reply.path("error").path("details").get(0).path("field").stringValue()).isEqualTo(field);
	}

	@Test
	void frameWithoutActionIsAnsweredUnchanged() {
		assertThat(this.client.call("{\"hello\":[1,2,{\"x\":null}]}").toString())
			.isEqualTo("{\"hello\":[1,2,{\"x\":null}]}");
		assertThat(this.client.call("[true,\"a\"]").toString()).isEqualTo("[true,\"a\"]");
	}

	@Test
	void numbersKeepTheirExactValueThroughTheDefaultHandler() {
		for (String number : java.util.List.of("1e999", "-1e999", "1e-400", "12345678901234567890",
				"123456789012345678901234567890.123456789012345678901234567890", "0.1", "2.50")) {
			String exact = new java.math.BigDecimal(number).toString();
			this.client.send("{\"n\":" + number + ",\"a\":[" + number + "]}");
			assertThat(this.client.receiveText()).as(number).isEqualTo("{\"n\":" + exact + ",\"a\":[" + exact + "]}");
			this.client.send(number);
			assertThat(this.client.receiveText()).as(number).isEqualTo(exact);
		}
		this.client.send("{\"action\":\"publish\",\"topic\":\"t\",\"payload\":1e999}");
		assertThat(this.client.receive().path("published").booleanValue()).isTrue();
	}

	@Test
	void badFramesAreAnsweredWithStructuredErrors() {
		assertThat(this.client.call("{oops").path("error").path("code").stringValue()).isEqualTo("invalid_json");
		JsonNode unknown = this.client.call("{\"action\":\"shout\"}");
		assertThat(unknown.path("action").stringValue()).isEqualTo("shout");
		assertThat(unknown.path("error").path("code").stringValue()).isEqualTo("unknown_action");
		this.client.sendBinary(new byte[] { 0, 1 });
		assertThat(this.client.receive().path("error").path("code").stringValue()).isEqualTo("unsupported_frame");
		assertThat(this.client.call("{\"action\":\"echo\",\"text\":\"still open\"}").path("text").stringValue())
			.isEqualTo("still open");
	}

	@Test
	void subscribersReceivePublishesTheSenderToo() {
		try (WebSocketTestClient other = WebSocketTestClient.connect("ws://localhost:" + this.port + "/echo")) {
			assertThat(this.client.call("{\"action\":\"subscribe\",\"topic\":\"news\"}").toString())
				.isEqualTo("{\"action\":\"subscribe\",\"subscribed\":true,\"topic\":\"news\"}");
			other.call("{\"action\":\"subscribe\",\"topic\":\"news\"}");
			this.client.send("{\"action\":\"publish\",\"topic\":\"news\",\"payload\":{\"headline\":\"hi\"}}");
			assertThat(this.client.receive().toString()).isEqualTo("{\"topic\":\"news\",\"headline\":\"hi\"}");
			assertThat(this.client.receive().toString()).isEqualTo("{\"action\":\"publish\",\"published\":true}");
			assertThat(other.receive().toString()).isEqualTo("{\"topic\":\"news\",\"headline\":\"hi\"}");
			other.send("{\"action\":\"publish\",\"topic\":\"news\",\"payload\":42}");
			assertThat(this.client.receive().toString()).isEqualTo("{\"topic\":\"news\",\"data\":42}");
		}
	}

	@Test
	void unsubscribedConnectionsReceiveNothing() throws Exception {
		this.client.call("{\"action\":\"subscribe\",\"topic\":\"quiet\"}");
		assertThat(this.client.call("{\"action\":\"unsubscribe\",\"topic\":\"quiet\"}").toString())
			.isEqualTo("{\"action\":\"unsubscribe\",\"unsubscribed\":true,\"topic\":\"quiet\"}");
		assertThat(this.client.call("{\"action\":\"publish\",\"topic\":\"quiet\",\"payload\":{}}").toString())
			.isEqualTo("{\"action\":\"publish\",\"published\":true}");
		this.client.assertNoMessage(java.time.Duration.ofMillis(200));
	}

	@Test
	void topicsAreValidated() {
		assertValidationFailed(this.client.call("{\"action\":\"subscribe\",\"topic\":\"\"}"), "subscribe", "topic");
		assertValidationFailed(this.client.call("{\"action\":\"subscribe\",\"topic\":\"" + "t".repeat(201) + "\"}"),
				"subscribe", "topic");
		assertValidationFailed(this.client.call("{\"action\":\"publish\",\"topic\":\"t\"}"), "publish", "payload");
	}

	@Test
	void publishFromOutsideAnyChannelReachesSubscribers() {
		this.client.call("{\"action\":\"subscribe\",\"topic\":\"outside\"}");
		this.eventHub.scope(EchoChannelConfiguration.TOPIC_SCOPE)
			.publish("outside", null, java.util.Map.of("from", "a scheduled job"))
			.toCompletableFuture()
			.join();
		assertThat(this.client.receive().toString()).isEqualTo("{\"topic\":\"outside\",\"from\":\"a scheduled job\"}");
	}

	@Test
	void aClosedConnectionLeavesEveryTopic() {
		try (WebSocketTestClient leaving = WebSocketTestClient.connect("ws://localhost:" + this.port + "/echo")) {
			leaving.call("{\"action\":\"subscribe\",\"topic\":\"left-1\"}");
			leaving.call("{\"action\":\"subscribe\",\"topic\":\"left-2\"}");
			assertThat(echoTopics().subscribers("left-1").toCompletableFuture().join()).hasSize(1);
		}
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(5))
			.until(() -> echoTopics().subscribers("left-1").toCompletableFuture().join().isEmpty()
					&& echoTopics().subscribers("left-2").toCompletableFuture().join().isEmpty());
	}

	private EventHub echoTopics() {
		return this.eventHub.scope(EchoChannelConfiguration.TOPIC_SCOPE);
	}

	@Test
	void unknownRouteIsNotFound() throws Exception {
		assertThat(RawHandshake.upgrade(this.port, "/echo/more", Map.of()).status()).isEqualTo(404);
	}

}
