package io.pikku.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.client.PikkuHandshakeException;
import jakarta.validation.Validation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The in-process {@link ChannelTester}: a channel runtime with no server, and what each
 * assertion says when it fails.
 */
class InProcessChannelTesterTests {

	private final ChannelRuntime runtime = runtime();

	private final ChannelTester tester = ChannelTester.forRuntime(this.runtime).build();

	private static ChannelRuntime runtime() {
		JsonMapper mapper = JsonMapper.builder().build();
		io.pikku.store.InMemoryChannelStore store = new io.pikku.store.InMemoryChannelStore();
		io.pikku.eventhub.InMemoryEventHub eventHub = new io.pikku.eventhub.InMemoryEventHub(mapper, store);
		return ChannelRuntime.builder(List.of(RoomChannel.definition(eventHub)), mapper)
			.validator(Validation.buildDefaultValidatorFactory().getValidator())
			.channelStore(store)
			.eventHub(eventHub)
			.build();
	}

	@AfterEach
	void closeConnections() {
		this.tester.close();
	}

	@Test
	void aCallAnswersItsReplyToAssertOnByPathEntityOrJson() {
		ChannelTester.Connection room = this.tester.connect("/rooms/lobby");
		room.nextMessage().isEqualToJson("{\"welcome\":\"lobby\"}");
		ChannelTester.Reply reply = room.action("echo").input(new RoomChannel.Text("Hi")).execute();
		reply.path("$.text").isEqualTo("Hi").path("$.action").isEqualTo("echo").path("$.correlationId").doesNotExist();
		reply.entity(RoomChannel.Text.class).isEqualTo(new RoomChannel.Text("Hi"));
		reply.isEqualToJson("{\"action\":\"echo\",\"text\":\"Hi\"}");
		reply.matchesJson("{\"text\":\"Hi\",\"action\":\"echo\"}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> reply.isEqualToJson("{\"text\":\"Hi\",\"action\":\"echo\"}"))
			.withMessage(
					"Expected {\"text\":\"Hi\",\"action\":\"echo\"} but received {\"action\":\"echo\",\"text\":\"Hi\"}");
		room.action("echo").inputJson("{\"text\":\"raw\"}").execute().path("$.text").isEqualTo("raw");
	}

	@Test
	void anOwnCorrelationIdStaysOnTheReply() {
		ChannelTester.Connection room = this.tester.connect("/rooms/ids");
		room.action("echo")
			.input(Map.of("text", "x"))
			.correlationId(7)
			.execute()
			.isEqualToJson("{\"action\":\"echo\",\"correlationId\":7,\"text\":\"x\"}");
		room.action("echo")
			.input(Map.of("text", "y"))
			.correlationId("c")
			.execute()
			.path("$.correlationId")
			.isEqualTo("c");
	}

	@Test
	void expectErrorChecksTheCodeTheActionAndTheDetails() {
		ChannelTester.Connection room = this.tester.connect("/rooms/errors");
		room.action("echo")
			.input(Map.of("text", ""))
			.execute()
			.expectError("validation_failed")
			.hasDetailField("text")
			.messageContains("Invalid");
		room.action("fail")
			.input(Map.of("text", "x"))
			.execute()
			.expectError("quota_exceeded")
			.path("$.details.limit")
			.isEqualTo(3);
		room.action("whoami").execute().expectError("unauthorized");
		room.action("shout").execute().expectError("unknown_action");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> room.action("echo").input(Map.of("text", "ok")).execute().expectError("forbidden"))
			.withMessageContaining("Expected error forbidden from 'echo' but received {\"action\":\"echo\"");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> room.action("whoami").execute().path("$.userId"))
			.withMessageContaining("Expected a reply to 'whoami' but received the error")
			.withMessageContaining("unauthorized");
	}

	@Test
	void aSessionSetOnTheTesterIsTheConnectionsFromTheStart() {
		ChannelTester alice = this.tester.mutate().session(PikkuSession.of("alice")).build();
		ChannelTester.Connection room = alice.connect("/rooms/sessions");
		room.action("whoami").execute().path("$.userId").isEqualTo("alice");
		ChannelTester.Connection anonymous = this.tester.connect("/rooms/sessions");
		anonymous.action("whoami").execute().expectError("unauthorized");
		anonymous.action("login").input(Map.of("text", "bob")).execute();
		anonymous.action("whoami").execute().path("$.userId").isEqualTo("bob");
	}

	@Test
	void topicDeliveriesAreTakenByTopicAndSilenceIsAsserted() {
		ChannelTester.Connection room = this.tester.connect("/rooms/topics");
		room.nextMessage();
		room.action("subscribe").input(Map.of("text", "news")).execute().path("$.subscribed").isEqualTo("news");
		room.action("publish").input(Map.of("text", "news")).execute().path("$.published").isEqualTo(true);
		room.topic("news").awaitNext().isEqualToJson("{\"topic\":\"news\",\"n\":1}").path("$.n").isEqualTo(1);
		room.expectNoMessage(Duration.ofMillis(50));
		room.action("publish").input(Map.of("text", "news")).execute();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> room.expectNoMessage(Duration.ZERO))
			.withMessage("Expected no message but received {\"topic\":\"news\",\"n\":1}");
	}

	@Test
	void nextMessageTakesWhatArrivedInOrder() {
		ChannelTester.Connection room = this.tester.connect("/rooms/order");
		room.send("{\"hello\":[1,2]}").send("{oops");
		room.nextMessage().isEqualToJson("{\"welcome\":\"order\"}");
		room.nextMessage().isEqualToJson("{\"hello\":[1,2]}");
		room.nextMessage().path("$.error.code").isEqualTo("invalid_json");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.mutate()
				.timeout(Duration.ofMillis(50))
				.build()
				.connect("/rooms/quiet")
				.topic("none")
				.awaitNext())
			.withMessageContaining("No delivery of topic 'none' within 50 ms")
			.withMessageContaining("received meanwhile: [{\"welcome\":\"quiet\"}]");
	}

	@Test
	void pathsBindWhatJacksonReadsInOrderAndExactly() {
		ChannelTester.Connection room = this.tester.connect("/rooms/paths");
		room.nextMessage();
		ChannelTester.Message message = room.send("{\"a\":{\"z\":1,\"b\":12345678901234567890,\"c/d\":[{\"z\":2}]}}")
			.nextMessage();
		assertThat(message.path("$.a").entity(JsonNode.class).get())
			.hasToString("{\"z\":1,\"b\":12345678901234567890,\"c/d\":[{\"z\":2}]}");
		assertThat(message.path("$.a['c/d'][0].z").entity(Integer.class).get()).isEqualTo(2);
		assertThat(message.path("$..z").entityList(Integer.class).get()).containsExactly(1, 2);
		message.path("$.a.b").isEqualTo(new java.math.BigInteger("12345678901234567890")).path("$.a.x").doesNotExist();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> message.path("$.a.x").entity(String.class))
			.withMessageContaining("No value at $.a.x");
	}

	@Test
	void aChannelClosedByTheServerIsSeenClosed() {
		ChannelTester.Connection room = this.tester.connect("/rooms/closing");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> room.action("leave").execute())
			.withMessageStartingWith("The connection closed (4001 bye) before reply to 'leave'");
		assertThat(room.expectClosed().code()).isEqualTo(4001);
		assertThat(room.isClosed()).isTrue();
	}

	@Test
	void aRefusedConnectIsAHandshakeExceptionWithTheStatusAServerWouldAnswer() {
		assertThatExceptionOfType(PikkuHandshakeException.class).isThrownBy(() -> this.tester.connect("/nowhere"))
			.satisfies((refused) -> assertThat(refused.getStatus()).isEqualTo(404));
		assertThatExceptionOfType(PikkuHandshakeException.class)
			.isThrownBy(() -> this.tester.connect("/rooms/UPPER?name=toolong"))
			.satisfies((refused) -> assertThat(refused.getStatus()).isEqualTo(400))
			.satisfies((refused) -> assertThat(refused.getBody()).contains("validation_failed", "room", "name"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.tester.connect("rooms/x"))
			.withMessage("A path must start with '/': 'rooms/x'");
	}

	@Test
	void socketOnlySettingsAreRefusedInProcess() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.tester.mutate().bearerToken("t"))
			.withMessageContaining("in-process, set the session");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ChannelTester.forServer("ws://localhost:1").session(PikkuSession.of("a")))
			.withMessageContaining("Over a socket");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tester.connect("/rooms/inputs").action("echo").input("text"))
			.withMessageContaining("The input of 'echo' must be a JSON object");
	}

	@Test
	void aServerThatIsNotThereOrABadTimeoutFailsClearly() {
		assertThatExceptionOfType(io.pikku.client.PikkuClientException.class)
			.isThrownBy(() -> ChannelTester.forServer("ws://127.0.0.1:1")
				.timeout(Duration.ofSeconds(5))
				.build()
				.connect("/rooms/x"))
			.withMessageContaining("ws://127.0.0.1:1/rooms/x");
		assertThatIllegalArgumentException().isThrownBy(() -> this.tester.mutate().timeout(Duration.ZERO))
			.withMessage("The timeout must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> ChannelTester.forServer("ftp://host"))
			.withMessageContaining("the scheme must be ws, wss, http or https");
	}

	@Test
	void closingTheTesterClosesItsConnectionsAndThoseOfItsMutants() {
		ChannelTester.Connection first = this.tester.connect("/rooms/all");
		ChannelTester.Connection second = this.tester.mutate()
			.session(PikkuSession.of("a"))
			.build()
			.connect("/rooms/all");
		assertThat(this.runtime.connectionCount("rooms")).isEqualTo(2);
		this.tester.close();
		assertThat(first.isClosed()).isTrue();
		assertThat(second.isClosed()).isTrue();
		assertThat(this.runtime.connectionCount("rooms")).isZero();
	}

}
