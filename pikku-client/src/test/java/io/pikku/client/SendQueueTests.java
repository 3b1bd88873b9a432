package io.pikku.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send queue against a server that has stalled: one frame in flight, the queue
 * bounded, and what waits failed when the connection goes.
 */
class SendQueueTests {

	@Test
	void aFullSendQueueFailsTheSendAtOnceAndKeepsWhatWasQueued() throws Exception {
		try (StalledServer server = new StalledServer()) {
			PikkuConnection connection = PikkuClient.builder("ws://localhost:" + server.port())
				.sendQueueLimit(2)
				.build()
				.connect("/stalled")
				.get();
			// larger than what the sockets buffer: it stays in flight
			CompletableFuture<Void> inFlight = connection.send("x".repeat(32 * 1024 * 1024));
			CompletableFuture<Void> first = connection.send("first");
			CompletableFuture<Void> second = connection.send("second");
			CompletableFuture<Void> third = connection.send("third");
			assertThat(third).isCompletedExceptionally();
			assertThat(third).failsWithin(Duration.ZERO)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(PikkuSendQueueFullException.class)
				.withMessage("The send queue is full (2 frames waiting); the frame was not sent");
			assertThat(connection.call("echo", null)).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(PikkuSendQueueFullException.class);
			assertThat(inFlight).isNotDone();
			assertThat(first).isNotDone();
			assertThat(second).isNotDone();
			server.close();
			assertThat(first).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(PikkuConnectionClosedException.class);
			assertThat(connection.closed()).succeedsWithin(Duration.ofSeconds(10));
		}
	}

	@Test
	void aServerThatNeverAnswersTimesTheCallOut() throws Exception {
		try (StalledServer server = new StalledServer()) {
			PikkuConnection connection = PikkuClient.builder("ws://localhost:" + server.port())
				.callTimeout(Duration.ofMillis(100))
				.build()
				.connect("/stalled")
				.get();
			assertThat(connection.call("echo", null)).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(PikkuCallTimeoutException.class)
				.withMessage("No reply to 'echo' (correlationId 1) within 100 ms");
			assertThat(connection.state()).isEqualTo(PikkuConnection.State.OPEN);
		}
	}

}
