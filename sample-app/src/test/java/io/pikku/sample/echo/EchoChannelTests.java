package io.pikku.sample.echo;

import java.time.Duration;
import java.util.Map;

import io.pikku.eventhub.EventHub;
import io.pikku.sample.SampleApplication;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code echo} channel of the sample app contract, over a real socket.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class EchoChannelTests {

	@LocalServerPort
	int port;

	@Autowired
	EventHub eventHub;

	@Autowired
	ChannelTester tester;

	private ChannelTester.Connection echo;

	@BeforeEach
	void connect() {
		this.echo = this.tester.connect("/echo");
	}

	@Test
	void echoAnswersTheSameText() {
		echo("hello").isEqualToJson("{\"action\":\"echo\",\"text\":\"hello\"}");
	}

	@Test
	void echoAcceptsTenThousandCharacters() {
		String text = "\u00e9".repeat(10_000);
		this.echo.action("echo")
			.input(Map.of("text", text))
			.correlationId(1)
			.execute()
			.path("$.text")
			.isEqualTo(text)
			.path("$.correlationId")
			.isEqualTo(1);
	}

	@Test
	void echoRefusesEmptyAndOverLongText() {
		assertValidationFailed(echo(""), "text");
		assertValidationFailed(echo("x".repeat(10_001)), "text");
		assertValidationFailed(this.echo.action("echo").execute(), "text");
		assertValidationFailed(this.echo.action("echo").inputJson("{\"text\":5}").execute(), "text");
		echo("ok").path("$.text").isEqualTo("ok");
	}

	private ChannelTester.Reply echo(String text) {
		return this.echo.action("echo").input(Map.of("text", text)).execute();
	}

	/** The error carries the action called (see expectError) and names the field. */
	private static void assertValidationFailed(ChannelTester.Reply reply, String field) {
		reply.expectError("validation_failed").path("$.details[0].field").isEqualTo(field);
	}

	@Test
	void frameWithoutActionIsAnsweredUnchanged() {
		this.echo.send("{\"hello\":[1,2,{\"x\":null}]}").nextMessage().isEqualToJson("{\"hello\":[1,2,{\"x\":null}]}");
		this.echo.send("[true,\"a\"]").nextMessage().isEqualToJson("[true,\"a\"]");
	}

	@Test
	void numbersKeepTheirExactValueThroughTheDefaultHandler() {
		// the raw client, to see the text as it was sent
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/echo")) {
			for (String number : java.util.List.of("1e999", "-1e999", "1e-400", "12345678901234567890",
					"123456789012345678901234567890.123456789012345678901234567890", "0.1", "2.50")) {
				String exact = new java.math.BigDecimal(number).toString();
				client.send("{\"n\":" + number + ",\"a\":[" + number + "]}");
				assertThat(client.receiveText()).as(number).isEqualTo("{\"n\":" + exact + ",\"a\":[" + exact + "]}");
				client.send(number);
				assertThat(client.receiveText()).as(number).isEqualTo(exact);
			}
			client.send("{\"action\":\"publish\",\"topic\":\"t\",\"payload\":1e999}");
			assertThat(client.receive().path("published").booleanValue()).isTrue();
		}
	}

	@Test
	void badFramesAreAnsweredWithStructuredErrors() {
		// binary frames: the raw client
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/echo")) {
			assertThat(client.call("{oops").path("error").path("code").stringValue()).isEqualTo("invalid_json");
			JsonNode unknown = client.call("{\"action\":\"shout\"}");
			assertThat(unknown.path("action").stringValue()).isEqualTo("shout");
			assertThat(unknown.path("error").path("code").stringValue()).isEqualTo("unknown_action");
			client.sendBinary(new byte[] { 0, 1 });
			assertThat(client.receive().path("error").path("code").stringValue()).isEqualTo("unsupported_frame");
			assertThat(client.call("{\"action\":\"echo\",\"text\":\"still open\"}").path("text").stringValue())
				.isEqualTo("still open");
		}
	}

	@Test
	void subscribersReceivePublishesTheSenderToo() {
		ChannelTester.Connection other = this.tester.connect("/echo");
		this.echo.action("subscribe")
			.input(Map.of("topic", "news"))
			.execute()
			.isEqualToJson("{\"action\":\"subscribe\",\"subscribed\":true,\"topic\":\"news\"}");
		other.action("subscribe").input(Map.of("topic", "news")).execute();
		this.echo.send("{\"action\":\"publish\",\"topic\":\"news\",\"payload\":{\"headline\":\"hi\"}}");
		this.echo.nextMessage().isEqualToJson("{\"topic\":\"news\",\"headline\":\"hi\"}");
		this.echo.nextMessage().isEqualToJson("{\"action\":\"publish\",\"published\":true}");
		other.nextMessage().isEqualToJson("{\"topic\":\"news\",\"headline\":\"hi\"}");
		other.send("{\"action\":\"publish\",\"topic\":\"news\",\"payload\":42}");
		this.echo.nextMessage().isEqualToJson("{\"topic\":\"news\",\"data\":42}");
	}

	@Test
	void unsubscribedConnectionsReceiveNothing() {
		this.echo.action("subscribe").input(Map.of("topic", "quiet")).execute();
		this.echo.action("unsubscribe")
			.input(Map.of("topic", "quiet"))
			.execute()
			.isEqualToJson("{\"action\":\"unsubscribe\",\"unsubscribed\":true,\"topic\":\"quiet\"}");
		this.echo.action("publish")
			.input(Map.of("topic", "quiet", "payload", Map.of()))
			.execute()
			.isEqualToJson("{\"action\":\"publish\",\"published\":true}");
		this.echo.expectNoMessage(Duration.ofMillis(200));
	}

	@Test
	void topicsAreValidated() {
		assertValidationFailed(this.echo.action("subscribe").input(Map.of("topic", "")).execute(), "topic");
		assertValidationFailed(this.echo.action("subscribe").input(Map.of("topic", "t".repeat(201))).execute(),
				"topic");
		assertValidationFailed(this.echo.action("publish").input(Map.of("topic", "t")).execute(), "payload");
	}

	@Test
	void publishFromOutsideAnyChannelReachesSubscribers() {
		this.echo.action("subscribe").input(Map.of("topic", "outside")).execute();
		echoTopics().publish("outside", null, Map.of("from", "a scheduled job")).toCompletableFuture().join();
		this.echo.nextMessage().isEqualToJson("{\"topic\":\"outside\",\"from\":\"a scheduled job\"}");
	}

	@Test
	void aClosedConnectionLeavesEveryTopic() {
		try (ChannelTester.Connection leaving = this.tester.connect("/echo")) {
			leaving.action("subscribe").input(Map.of("topic", "left-1")).execute();
			leaving.action("subscribe").input(Map.of("topic", "left-2")).execute();
			assertThat(echoTopics().subscribers("left-1").toCompletableFuture().join()).hasSize(1);
		}
		await().atMost(Duration.ofSeconds(5))
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
