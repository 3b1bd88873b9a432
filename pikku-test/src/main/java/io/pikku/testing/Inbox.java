package io.pikku.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.pikku.client.PikkuConnection.CloseStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a connection received, in order, each kept until an assertion takes it.
 */
final class Inbox {

	private final List<Received> received = new ArrayList<>();

	private @Nullable CloseStatus closed;

	synchronized void add(JsonNode message) {
		this.received.add(new Received(message));
		notifyAll();
	}

	synchronized void closed(CloseStatus status) {
		if (this.closed == null) {
			this.closed = status;
		}
		notifyAll();
	}

	synchronized boolean isClosed() {
		return this.closed != null;
	}

	synchronized @Nullable CloseStatus closeStatus() {
		return this.closed;
	}

	/**
	 * Takes the earliest message that matches, waiting for one.
	 * @throws AssertionError if none arrives in time or the connection closes first
	 */
	synchronized JsonNode take(Predicate<JsonNode> matches, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			for (Received message : this.received) {
				if (!message.taken && matches.test(message.json)) {
					message.taken = true;
					return message.json;
				}
			}
			long left = deadline - System.nanoTime();
			if (this.closed != null || left <= 0) {
				throw new AssertionError(((this.closed != null) ? "The connection closed (" + this.closed.code() + " "
						+ this.closed.reason() + ") before " + what
						: "No " + what + " within " + timeout.toMillis() + " ms") + untaken());
			}
			waitFor(left);
		}
	}

	/**
	 * Asserts that nothing is left to take and nothing arrives for a while.
	 */
	synchronized void expectNothing(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		while (true) {
			for (Received message : this.received) {
				if (!message.taken) {
					throw new AssertionError("Expected no message but received " + message.json);
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return;
			}
			waitFor(left);
		}
	}

	synchronized CloseStatus awaitClosed(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.closed == null) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("The connection is still open after " + timeout.toMillis() + " ms");
			}
			waitFor(left);
		}
		return this.closed;
	}

	private void waitFor(long nanos) {
		try {
			wait(Math.max(1, nanos / 1_000_000), 0);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a message", ex);
		}
	}

	private String untaken() {
		List<JsonNode> left = this.received.stream()
			.filter((message) -> !message.taken)
			.map((message) -> message.json)
			.toList();
		return left.isEmpty() ? "; nothing else was received" : "; received meanwhile: " + left;
	}

	private static final class Received {

		final JsonNode json;

		boolean taken;

		Received(JsonNode json) {
			this.json = json;
		}

	}

}
