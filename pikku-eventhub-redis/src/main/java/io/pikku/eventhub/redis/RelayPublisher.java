package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

import io.lettuce.core.api.StatefulConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands relays to Redis on one connection, pipelined: commands are queued without a flush
 * each, and one thread of Lettuce's flushes what gathered, so that commands that arrive
 * together (one publisher's burst, or many publishers at once) are written to Redis
 * together. Only that thread flushes, so commands reach Redis in the order they were
 * queued: relays are numbered in that order, so that receivers can deliver each once and
 * in order. A relay is accepted as soon as it is queued: the caller never waits for
 * Redis.
 *
 * <p>
 * A relay is refused at once while the connection is down or when too many await Redis,
 * so that an outage costs no memory; one that fails later (the connection dropped with it
 * in flight, Redis timed it out) is counted and logged.
 */
final class RelayPublisher {

	private static final Log logger = LogFactory.getLog(RelayPublisher.class);

	/** How often a failure is logged at most, with the count since the last log. */
	private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final Object lock = new Object();

	private final Command command;

	private final Executor flusher;

	private final int maxPending;

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicBoolean flushScheduled = new AtomicBoolean();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong failedSinceLog = new AtomicLong();

	private volatile long lastLog = System.nanoTime() - LOG_EVERY_NANOS;

	private volatile @Nullable StatefulConnection<String, byte[]> connection;

	// Guarded by the lock.
	private long sequence;

	/**
	 * A publisher that sends with the given command, e.g. {@code PUBLISH}.
	 * @param command sends one message on a connection
	 * @param flusher one thread, never a connection's I/O thread
	 * @param maxPending how many relays may await Redis before more are refused
	 */
	RelayPublisher(Command command, Executor flusher, int maxPending) {
		this.command = command;
		this.flusher = flusher;
		this.maxPending = maxPending;
	}

	/**
	 * Starts publishing on a connection whose commands are not flushed automatically.
	 * @param connection the connection
	 */
	void attach(StatefulConnection<String, byte[]> connection) {
		synchronized (this.lock) {
			connection.setAutoFlushCommands(false);
			this.connection = connection;
		}
	}

	/**
	 * Queues a relay.
	 * @param channel the Redis channel
	 * @param frame writes the relay, given its sequence number
	 * @return {@code null} if accepted, otherwise why not
	 */
	@Nullable RelayRefusedException publish(String channel, LongFunction<byte[]> frame) {
		CompletionStage<?> sent;
		synchronized (this.lock) {
			StatefulConnection<String, byte[]> connection = this.connection;
			if (connection == null || !connection.isOpen()) {
				return RelayRefusedException.notConnected();
			}
			if (this.pending.get() >= this.maxPending) {
				return RelayRefusedException.tooManyPending(this.maxPending);
			}
			this.sequence++;
			sent = this.command.send(connection, channel, frame.apply(this.sequence));
			this.pending.incrementAndGet();
		}
		if (this.flushScheduled.compareAndSet(false, true)) {
			this.flusher.execute(this::flush);
		}
		sent.whenComplete((ignored, failure) -> {
			this.pending.decrementAndGet();
			if (failure != null) {
				failed(failure);
			}
		});
		return null;
	}

	/**
	 * Flushes relays still queued, if any: a flush that ran while the connection was down
	 * left them queued, and Lettuce writes only its own buffer when it reconnects. Called
	 * every {@link RedisRelay#TICK}.
	 */
	void flushQueued() {
		if (this.pending.get() > 0 && this.flushScheduled.compareAndSet(false, true)) {
			this.flusher.execute(this::flush);
		}
	}

	/**
	 * Flushes what is queued and waits for Redis to take it, before the connection
	 * closes.
	 * @param timeout how long to wait at most
	 */
	void drain(Duration timeout) {
		flushQueued();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.pending.get() > 0 && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	/** Writes what gathered since the last flush; on the flusher only. */
	private void flush() {
		this.flushScheduled.set(false);
		StatefulConnection<String, byte[]> connection = this.connection;
		if (connection != null) {
			connection.flushCommands();
		}
	}

	private void failed(Throwable failure) {
		this.failed.incrementAndGet();
		long failures = this.failedSinceLog.incrementAndGet();
		long now = System.nanoTime();
		long lastLog = this.lastLog;
		if (now - lastLog > LOG_EVERY_NANOS && logger.isWarnEnabled()) {
			this.lastLog = now;
			this.failedSinceLog.addAndGet(-failures);
			logger.warn(
					failures + " publish(es) could not be relayed to other instances, the last because of: " + failure);
		}
	}

	/**
	 * How many relays failed after they were accepted.
	 * @return the count since start
	 */
	long failed() {
		return this.failed.get();
	}

	/**
	 * How many relays await Redis.
	 * @return the count
	 */
	int pending() {
		return this.pending.get();
	}

	/**
	 * Sends one message on a connection.
	 */
	@FunctionalInterface
	interface Command {

		/**
		 * Sends a message.
		 * @param connection the connection
		 * @param channel the channel
		 * @param message the message
		 * @return completes with Redis's reply
		 */
		CompletionStage<?> send(StatefulConnection<String, byte[]> connection, String channel, byte[] message);

	}

}
