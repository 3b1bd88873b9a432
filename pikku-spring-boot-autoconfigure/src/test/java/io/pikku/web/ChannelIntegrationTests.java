package io.pikku.web;

import java.time.Duration;
import java.util.Map;

import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole channel lifecycle over real sockets: Spring Boot on a random port, the JDK's
 * WebSocket client.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pikku.max-text-message-size=16KB")
class ChannelIntegrationTests {

	@LocalServerPort
	int port;

	private WebSocketTestClient client;

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.close();
		}
	}

	WebSocketTestClient connect(String pathAndQuery) {
		this.client = WebSocketTestClient.connect("ws://localhost:" + this.port + pathAndQuery);
		return this.client;
	}

	WebSocketTestClient room() {
		WebSocketTestClient client = connect("/rooms/lobby");
		assertThat(client.receive().path("welcome").stringValue()).isEqualTo("lobby");
		return client;
	}

	private static void assertError(JsonNode reply, String code) {
		assertThat(reply.path("error").path("code").stringValue()).as(reply.toString()).isEqualTo(code);
		assertThat(reply.path("error").path("message").stringValue()).isNotBlank();
	}

	private static void assertStillAnswers(WebSocketTestClient client) {
		JsonNode reply = client.call("{\"action\":\"echo\",\"text\":\"still here\"}");
		assertThat(reply.toString()).isEqualTo("{\"action\":\"echo\",\"text\":\"still here\"}");
	}

	/** JSON numbers that no double holds, or that a double would round. */
	private static final java.util.List<String> EDGE_NUMBERS = java.util.List.of("1e999", "-1e999", "1e-400",
			"12345678901234567890", "-98765432109876543210", "123456789012345678901234567890.123",
			"0.100000000000000000000000000001", "1.50", "-0.0", "1E+2");

	@Test
	void numbersKeepTheirExactValueThroughJsonNodeInputsAndTheDefaultHandler() {
		WebSocketTestClient client = room();
		for (String number : EDGE_NUMBERS) {
			String exact = new java.math.BigDecimal(number).toString();
			client.send("{\"action\":\"node\",\"n\":" + number + ",\"list\":[" + number + "]}");
			assertThat(client.receiveText()).as(number)
				.isEqualTo("{\"action\":\"node\",\"n\":" + exact + ",\"list\":[" + exact + "]}");
			client.send("{\"n\":" + number + "}");
			assertThat(client.receiveText()).as(number).isEqualTo("{\"default\":{\"n\":" + exact + "}}");
			client.send("[" + number + "]");
			assertThat(client.receiveText()).as(number).isEqualTo("{\"default\":[" + exact + "]}");
		}
		assertStillAnswers(client);
	}

	@Test
	void numbersATypedInputCannotHoldAreRefused() {
		WebSocketTestClient client = room();
		for (String number : java.util.List.of("1e999", "-1e999", "1e-400", "-1e-400")) {
			assertNumberRefused(client.call("{\"action\":\"double\",\"value\":" + number + "}"), "value", "double");
			assertNumberRefused(client.call("{\"action\":\"double\",\"value\":1,\"boxed\":" + number + "}"), "boxed",
					"Double");
			assertNumberRefused(client.call("{\"action\":\"float\",\"value\":" + number + "}"), "value", "float");
		}
		assertNumberRefused(client.call("{\"action\":\"float\",\"value\":1e39}"), "value", "float");
		for (String number : java.util.List.of("12345678901234567890", "-98765432109876543210")) {
			assertNumberRefused(client.call("{\"action\":\"long\",\"value\":" + number + "}"), "value", "long");
		}
		assertError(client.call("{\"action\":\"long\",\"value\":1e999}"), "validation_failed");
		assertThat(client.call("{\"action\":\"double\",\"value\":0.0,\"boxed\":-0.0}").path("value").doubleValue())
			.isZero();
		assertThat(client.call("{\"action\":\"double\",\"value\":1e308}").path("value").doubleValue()).isEqualTo(1e308);
		assertThat(client.call("{\"action\":\"long\",\"value\":9223372036854775807}").path("value").longValue())
			.isEqualTo(Long.MAX_VALUE);
		client.send("{\"action\":\"decimal\",\"value\":1e999,\"integer\":123456789012345678901234567890}");
		assertThat(client.receiveText())
			.isEqualTo("{\"action\":\"decimal\",\"value\":1E+999,\"integer\":123456789012345678901234567890}");
		client.send("{\"action\":\"decimal\",\"value\":123456789012345678901234567890.123}");
		assertThat(client.receiveText())
			.isEqualTo("{\"action\":\"decimal\",\"value\":123456789012345678901234567890.123,\"integer\":null}");
		assertStillAnswers(client);
	}

	private static void assertNumberRefused(JsonNode reply, String field, String type) {
		assertError(reply, "validation_failed");
		assertThat(reply.path("error").path("details").toString()).as(reply.toString())
			.isEqualTo("[{\"field\":\"" + field + "\",\"message\":\"is out of range for " + type + "\"}]");
	}

	@Test
	void onConnectAnswersWithOpeningDataFromPathAndQuery() {
		WebSocketTestClient client = connect("/rooms/kitchen-2?name=Ann%20B&level=3&access_token=secret");
		JsonNode welcome = client.receive();
		assertThat(welcome.path("welcome").stringValue()).isEqualTo("kitchen-2");
		assertThat(welcome.path("name").stringValue()).isEqualTo("Ann B");
		JsonNode opening = client.call("{\"action\":\"opening\"}");
		assertThat(opening.toString())
			.isEqualTo("{\"action\":\"opening\",\"room\":\"kitchen-2\",\"name\":\"Ann B\",\"level\":3}");
	}

	@Test
	void actionReplyCarriesRoutingPropertyAndCorrelationId() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"action\":\"echo\",\"text\":\"hi\",\"correlationId\":\"7\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"correlationId\":\"7\",\"text\":\"hi\"}");
		assertThat(client.call("{\"correlationId\":42,\"action\":\"echo\",\"text\":\"hi\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"correlationId\":42,\"text\":\"hi\"}");
	}

	@Test
	void nonObjectResultIsWrappedAndNoResultStillAcknowledges() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"action\":\"add\",\"a\":2,\"b\":3}").toString())
			.isEqualTo("{\"action\":\"add\",\"result\":5}");
		assertThat(client.call("{\"action\":\"noop\"}").toString()).isEqualTo("{\"action\":\"noop\"}");
	}

	@Test
	void routesBySeveralRoutingPropertiesInDeclarationOrder() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"command\":\"stop\"}").toString())
			.isEqualTo("{\"command\":\"stop\",\"stopped\":true}");
		assertThat(client.call("{\"command\":\"echo\",\"a\":1,\"b\":2}").toString())
			.isEqualTo("{\"command\":\"echo\",\"result\":3}");
		assertThat(client.call("{\"command\":\"stop\",\"action\":\"echo\",\"text\":\"first\"}").toString())
			.isEqualTo("{\"action\":\"echo\",\"text\":\"first\"}");
		assertThat(client.call("{\"action\":\"nope\",\"command\":\"stop\"}").toString())
			.isEqualTo("{\"command\":\"stop\",\"stopped\":true}");
		JsonNode unknown = client.call("{\"command\":\"nope\"}");
		assertError(unknown, "unknown_action");
		assertThat(unknown.path("command").stringValue()).isEqualTo("nope");
	}

	@Test
	void sendsOfACallGoOutBeforeItsReply() {
		WebSocketTestClient client = room();
		client.send("{\"action\":\"progress\",\"correlationId\":\"p\"}");
		assertThat(client.receive().toString()).isEqualTo("{\"step\":1}");
		assertThat(client.receive().toString()).isEqualTo("{\"step\":2}");
		assertThat(client.receive().toString())
			.isEqualTo("{\"action\":\"progress\",\"correlationId\":\"p\",\"done\":true}");
	}

	@Test
	void channelSendWorksFromAnotherThread() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"action\":\"later\"}").toString())
			.isEqualTo("{\"action\":\"later\",\"scheduled\":true}");
		assertThat(client.receive().toString()).isEqualTo("{\"from\":\"another thread\"}");
	}

	@Test
	void asynchronousResultsAreAnsweredInOrder() {
		WebSocketTestClient client = room();
		client.send("{\"action\":\"slow\",\"a\":1,\"b\":1}");
		client.send("{\"action\":\"echo\",\"text\":\"after\"}");
		assertThat(client.receive().toString()).isEqualTo("{\"action\":\"slow\",\"sum\":2}");
		assertThat(client.receive().toString()).isEqualTo("{\"action\":\"echo\",\"text\":\"after\"}");
	}

	@Test
	void aBlockedFunctionHoldsUpNoOtherConnection() throws Exception {
		// More connections than the server has event loops: some share the napper's.
		int others = 8;
		TestChannels.wakeUps = new java.util.concurrent.CountDownLatch(others);
		WebSocketTestClient napper = room();
		napper.send("{\"action\":\"nap\"}");
		java.util.List<WebSocketTestClient> clients = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < others; i++) {
				WebSocketTestClient other = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/r" + i);
				clients.add(other);
				other.receive();
				assertThat(other.call("{\"action\":\"wake\"}").path("awake").booleanValue()).isTrue();
			}
			assertThat(napper.receive().toString()).isEqualTo("{\"action\":\"nap\",\"woken\":true}");
		}
		finally {
			clients.forEach(WebSocketTestClient::close);
		}
	}

	@Test
	void aFunctionSleeping200MsDoesNotDelayAnotherConnectionsReplies() throws Exception {
		WebSocketTestClient sleeper = room();
		WebSocketTestClient other = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/other");
		try {
			other.receive();
			sleeper.send("{\"action\":\"sleepy\",\"text\":\"zzz\"}");
			for (int i = 0; i < 3; i++) {
				assertThat(other.call("{\"action\":\"echo\",\"text\":\"" + i + "\"}").path("text").stringValue())
					.isEqualTo(String.valueOf(i));
			}
			sleeper.assertNoMessage(Duration.ZERO);
			assertThat(sleeper.receive().path("text").stringValue()).isEqualTo("zzz");
		}
		finally {
			other.close();
		}
	}

	@Test
	void aBlockingCallAndTheCallsAfterItAreAnsweredInOrder() {
		WebSocketTestClient client = room();
		client.send("{\"action\":\"sleepy\",\"text\":\"first\"}");
		client.send("{\"action\":\"echo\",\"text\":\"second\"}");
		client.send("{\"action\":\"mono\",\"text\":\"third\"}");
		client.send("{\"action\":\"sleepy\",\"text\":\"fourth\"}");
		for (String expected : java.util.List.of("first", "second", "third", "fourth")) {
			assertThat(client.receive().path("text").stringValue()).isEqualTo(expected);
		}
	}

	@Test
	void aFunctionMayReturnAMono() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"action\":\"mono\",\"text\":\"later\",\"correlationId\":5}").toString())
			.isEqualTo("{\"action\":\"mono\",\"correlationId\":5,\"text\":\"later\"}");
	}

	@Test
	void defaultHandlerGetsFramesWithoutRoutingProperty() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"hello\":\"world\"}").toString()).isEqualTo("{\"default\":{\"hello\":\"world\"}}");
		assertThat(client.call("[1,2]").toString()).isEqualTo("{\"default\":[1,2]}");
		assertThat(client.call("{\"hello\":1,\"correlationId\":\"c\"}").toString())
			.isEqualTo("{\"default\":{\"hello\":1},\"correlationId\":\"c\"}");
	}

	@Test
	void invalidJsonIsAnsweredAndTheConnectionStaysOpen() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"echo\",");
		assertError(reply, "invalid_json");
		assertThat(reply.has("action")).isFalse();
		assertError(client.call("not json at all"), "invalid_json");
		assertStillAnswers(client);
	}

	@Test
	void unknownActionEchoesTheActionSent() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"fly\",\"correlationId\":\"9\"}");
		assertError(reply, "unknown_action");
		assertThat(reply.path("action").stringValue()).isEqualTo("fly");
		assertThat(reply.path("correlationId").stringValue()).isEqualTo("9");
		JsonNode numeric = client.call("{\"action\":12}");
		assertError(numeric, "unknown_action");
		assertThat(numeric.path("action").intValue()).isEqualTo(12);
		assertStillAnswers(client);
	}

	@Test
	void frameWithoutRoutingPropertyOnChannelWithoutDefaultIsUnknownAction() {
		WebSocketTestClient client = connect("/text");
		JsonNode reply = client.call("{\"text\":\"hi\"}");
		assertError(reply, "unknown_action");
		assertThat(reply.has("action")).isFalse();
		assertError(client.call("\"just a string\""), "unknown_action");
		assertThat(client.call("{\"action\":\"echo\",\"text\":\"ok\"}").path("text").stringValue()).isEqualTo("ok");
	}

	@Test
	void missingFieldFailsValidationWithTheField() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"echo\",\"correlationId\":\"m\"}");
		assertError(reply, "validation_failed");
		assertThat(reply.path("action").stringValue()).isEqualTo("echo");
		assertThat(reply.path("correlationId").stringValue()).isEqualTo("m");
		assertThat(reply.path("error").path("details").get(0).path("field").stringValue()).isEqualTo("text");
		assertStillAnswers(client);
	}

	@Test
	void wronglyTypedFieldFailsValidationWithoutCoercion() {
		WebSocketTestClient client = room();
		JsonNode text = client.call("{\"action\":\"echo\",\"text\":123}");
		assertError(text, "validation_failed");
		assertThat(text.path("error").path("details").get(0).toString())
			.isEqualTo("{\"field\":\"text\",\"message\":\"must be a string\"}");
		JsonNode number = client.call("{\"action\":\"add\",\"a\":\"1\",\"b\":2}");
		assertError(number, "validation_failed");
		assertThat(number.path("error").path("details").get(0).path("field").stringValue()).isEqualTo("a");
		assertError(client.call("{\"action\":\"add\",\"a\":1.5,\"b\":2}"), "validation_failed");
		assertStillAnswers(client);
	}

	@Test
	void overLongTextFailsBeanValidation() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"echo\",\"text\":\"" + "x".repeat(21) + "\"}");
		assertError(reply, "validation_failed");
		assertThat(reply.path("error").path("details").get(0).path("field").stringValue()).isEqualTo("text");
		assertThat(reply.path("error").path("details").get(0).path("message").stringValue()).contains("20");
		assertStillAnswers(client);
	}

	@Test
	void oversizedFrameIsAnsweredTooLargeAndTheConnectionStaysOpen() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"echo\",\"text\":\"" + "x".repeat(20_000) + "\"}");
		assertError(reply, "too_large");
		assertThat(reply.path("error").path("details").path("limit").longValue()).isEqualTo(16 * 1024);
		assertStillAnswers(client);
	}

	@Test
	void oversizedFragmentedFrameIsAnsweredTooLarge() {
		WebSocketTestClient client = room();
		client.sendPart("{\"action\":\"echo\",\"text\":\"", false);
		for (int i = 0; i < 5; i++) {
			client.sendPart("y".repeat(5000), false);
		}
		client.sendPart("\"}", true);
		assertError(client.receive(), "too_large");
		assertStillAnswers(client);
	}

	@Test
	void aFragmentedMessageFarOverTheLimitIsAnsweredTooLargeAndReadingGoesOn() {
		WebSocketTestClient client = room();
		for (int round = 0; round < 2; round++) {
			// 1.25 MiB in 5,000-byte fragments: 80 times the limit.
			client.sendPart("{\"action\":\"echo\",\"text\":\"", false);
			for (int i = 0; i < 262; i++) {
				client.sendPart("y".repeat(5000), false);
			}
			client.sendPart("\"}", true);
			JsonNode reply = client.receive();
			assertError(reply, "too_large");
			assertThat(reply.path("error").path("details").path("limit").longValue()).isEqualTo(16 * 1024);
			assertStillAnswers(client);
		}
		WebSocketTestClient binary = connect("/binary");
		for (int i = 0; i < 262; i++) {
			binary.sendBinaryPart(new byte[5000], false);
		}
		binary.sendBinaryPart(new byte[] { 1 }, true);
		assertError(binary.receive(), "too_large");
		binary.sendBinaryPart(new byte[] { 1, 2 }, false);
		binary.sendBinaryPart(new byte[] { 3 }, true);
		assertThat(binary.receiveBinary()).containsExactly(3, 2, 1);
	}

	@Test
	void largeFrameBelowTheLimitArrivesWhole() {
		WebSocketTestClient client = connect("/text");
		String text = "z".repeat(12_000);
		JsonNode reply = client.call("{\"action\":\"echo\",\"text\":\"" + text + "\"}");
		assertError(reply, "validation_failed");
		client.sendPart("{\"action\":\"echo\",", false);
		client.sendPart("\"text\":\"fragmented\"}", true);
		assertThat(client.receive().path("text").stringValue()).isEqualTo("fragmented");
	}

	@Test
	void multiByteTextIsMeasuredInBytes() {
		WebSocketTestClient client = room();
		String threeByteChars = "\u20ac".repeat(6000);
		assertError(client.call("{\"action\":\"echo\",\"text\":\"" + threeByteChars + "\"}"), "too_large");
		assertStillAnswers(client);
	}

	@Test
	void deeplyNestedJsonIsRefused() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("[".repeat(2000) + "]".repeat(2000));
		assertError(reply, "too_large");
		assertStillAnswers(client);
	}

	@Test
	void invalidCorrelationIdIsAValidationError() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"echo\",\"text\":\"x\",\"correlationId\":{\"a\":1}}");
		assertError(reply, "validation_failed");
		assertThat(reply.path("action").stringValue()).isEqualTo("echo");
		assertThat(reply.has("correlationId")).isFalse();
		assertStillAnswers(client);
	}

	@Test
	void binaryFrameToTextOnlyChannelIsUnsupported() {
		WebSocketTestClient client = room();
		client.sendBinary(new byte[] { 1, 2, 3 });
		assertError(client.receive(), "unsupported_frame");
		assertStillAnswers(client);
	}

	@Test
	void binaryFramesReachTheBinaryHandler() {
		WebSocketTestClient client = connect("/binary");
		client.sendBinary(new byte[] { 1, 2, 3 });
		assertThat(client.receiveBinary()).containsExactly(3, 2, 1);
		client.sendBinary(new byte[70_000]);
		assertError(client.receive(), "too_large");
		client.sendBinary(new byte[] { 4, 5 });
		assertThat(client.receiveBinary()).containsExactly(5, 4);
	}

	@Test
	void internalErrorsNeverLeakTheirText() {
		WebSocketTestClient client = room();
		JsonNode reply = client.call("{\"action\":\"crash\",\"correlationId\":1}");
		assertError(reply, "internal");
		assertThat(reply.toString()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
		assertThat(reply.path("action").stringValue()).isEqualTo("crash");
		assertStillAnswers(client);
	}

	@Test
	void applicationErrorsCarryTheirCodeAndDetails() {
		WebSocketTestClient client = room();
		assertError(client.call("{\"action\":\"missing\"}"), "not_found");
		JsonNode quota = client.call("{\"action\":\"quota\"}");
		assertThat(quota.toString()).isEqualTo(
				"{\"action\":\"quota\",\"error\":{\"code\":\"quota_exceeded\",\"message\":\"Quota exceeded\",\"details\":{\"limit\":3}}}");
		assertStillAnswers(client);
	}

	@Test
	void stateIsPerConnection() {
		WebSocketTestClient first = room();
		try (WebSocketTestClient second = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/lobby")) {
			second.receive();
			first.call("{\"action\":\"remember\",\"text\":\"mine\"}");
			assertThat(first.call("{\"action\":\"recall\"}").path("state").stringValue()).isEqualTo("mine");
			assertThat(second.call("{\"action\":\"recall\"}").path("state").stringValue()).isEqualTo("null");
		}
	}

	@Test
	void sessionIsSetInBandAndRequiredWhereAuthIsOn() {
		WebSocketTestClient client = room();
		JsonNode denied = client.call("{\"action\":\"whoami\"}");
		assertError(denied, "unauthorized");
		assertThat(denied.path("action").stringValue()).isEqualTo("whoami");
		assertThat(client.call("{\"action\":\"login\",\"text\":\"alice\"}").path("userId").stringValue())
			.isEqualTo("alice");
		assertThat(client.call("{\"action\":\"whoami\"}").path("userId").stringValue()).isEqualTo("alice");
		assertThat(client.call("{\"action\":\"login\",\"text\":\"bob\"}").path("userId").stringValue())
			.isEqualTo("bob");
		assertThat(client.call("{\"action\":\"whoami\"}").path("userId").stringValue()).isEqualTo("bob");
		client.call("{\"action\":\"logout\"}");
		assertError(client.call("{\"action\":\"whoami\"}"), "unauthorized");
	}

	@Test
	void channelAuthIsTrueByDefault() {
		WebSocketTestClient client = connect("/secured");
		assertError(client.call("{\"action\":\"whoami\"}"), "unauthorized");
		assertThat(client.isClosed()).isFalse();
	}

	@Test
	void onDisconnectRunsWhenTheClientCloses() {
		WebSocketTestClient client = connect("/rooms/leaving");
		client.receive();
		client.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> TestChannels.disconnected.contains("leaving"));
	}

	@Test
	void channelCloseSendsQueuedMessagesThenClosesWithItsCode() {
		WebSocketTestClient client = room();
		client.send("{\"action\":\"bye\"}");
		assertThat(client.receive().toString()).isEqualTo("{\"bye\":true}");
		assertThat(client.awaitClose()).isEqualTo(new WebSocketTestClient.Closed(4000, "bye"));
	}

	@Test
	void failingOnConnectSendsTheErrorAndCloses() {
		WebSocketTestClient client = connect("/refusing");
		assertError(client.receive(), "forbidden");
		assertThat(client.awaitClose().code()).isEqualTo(1008);
	}

	@Test
	void unknownRouteIsRefusedWith404() throws Exception {
		assertThat(RawHandshake.upgrade(this.port, "/nowhere", Map.of()).status()).isEqualTo(404);
		assertThat(RawHandshake.upgrade(this.port, "/rooms", Map.of()).status()).isEqualTo(404);
		assertThat(RawHandshake.upgrade(this.port, "/rooms/a/b", Map.of()).status()).isEqualTo(404);
	}

	@Test
	void badPathParameterIsRefusedWith400AndTheError() throws Exception {
		RawHandshake.Response response = RawHandshake.upgrade(this.port, "/rooms/Not%20Valid!", Map.of());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("\"code\":\"validation_failed\"").contains("\"field\":\"room\"");
	}

	@Test
	void badQueryParameterIsRefusedWith400() throws Exception {
		RawHandshake.Response tooHigh = RawHandshake.upgrade(this.port, "/rooms/lobby?level=11", Map.of());
		assertThat(tooHigh.status()).isEqualTo(400);
		assertThat(tooHigh.body()).contains("\"field\":\"level\"");
		RawHandshake.Response notANumber = RawHandshake.upgrade(this.port, "/rooms/lobby?level=high", Map.of());
		assertThat(notANumber.status()).isEqualTo(400);
		assertThat(notANumber.body()).contains("\"field\":\"level\"");
	}

	@Test
	void validUpgradeSwitchesProtocols() throws Exception {
		assertThat(RawHandshake.upgrade(this.port, "/rooms/lobby", Map.of()).status()).isEqualTo(101);
	}

	@Test
	void crossOriginUpgradeIsRefusedByDefault() throws Exception {
		assertThat(RawHandshake.upgrade(this.port, "/rooms/lobby", Map.of("Origin", "https://evil.example")).status())
			.isEqualTo(403);
		assertThat(RawHandshake.upgrade(this.port, "/rooms/lobby", Map.of("Origin", "http://localhost:" + this.port))
			.status()).isEqualTo(101);
	}

}
