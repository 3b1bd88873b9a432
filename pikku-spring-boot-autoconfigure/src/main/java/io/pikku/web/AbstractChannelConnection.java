package io.pikku.web;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.runtime.ChannelConnection;
import io.pikku.channel.runtime.OpenChannel;
import org.jspecify.annotations.Nullable;

/**
 * What every transport's connection does the same way: a bounded outbound queue (past
 * {@link TransportSettings#sendBufferLimit()} the connection is closed with 1008), a
 * close that happens once, heartbeats, the window of frames in flight (read but not yet
 * answered: past {@link #WINDOW} the transport stops reading, so that a client sending
 * faster than its calls complete is slowed by TCP rather than buffered; and while a
 * quarter of the send buffer limit waits to be written, answered frames ask for no more
 * until an eighth is left, so that a client calling faster than it reads is slowed rather
 * than closed), and telling the channel when the connection has closed. Subclasses keep
 * what their server does differently: how a message is queued and written, pinged, closed
 * and dropped, and how reading is paused.
 */
public abstract class AbstractChannelConnection implements ChannelConnection, ChannelTransport.Connection {

	/** How many frames may be in flight: read, not yet answered. */
	protected static final int WINDOW = 32;

	private final TransportSettings settings;

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicInteger inFlight = new AtomicInteger();

	/** Answered frames since reading last went on, released in batches. */
	private final AtomicInteger answered = new AtomicInteger();

	/** Reading waits for the outbound queue to drain. */
	private final AtomicBoolean waitingForQueue = new AtomicBoolean();

	private volatile boolean closing;

	/** The server reported the close; read by bind() when the channel comes later. */
	private volatile boolean disconnected;

	/** When a heartbeat last found the client heard from; touched by heartbeats only. */
	private volatile long lastHeard = System.nanoTime();

	/**
	 * Whether the client was heard since the last heartbeat: a flag rather than a time,
	 * so that a frame costs no clock read.
	 */
	private volatile boolean heardSinceBeat;

	private volatile @Nullable OpenChannel channel;

	/**
	 * A connection with the transport's settings.
	 * @param settings the settings
	 */
	protected AbstractChannelConnection(TransportSettings settings) {
		this.settings = settings;
	}

	/**
	 * The transport's settings.
	 * @return the settings
	 */
	protected final TransportSettings settings() {
		return this.settings;
	}

	/**
	 * Attaches the channel once it is open. If the connection closed meanwhile (a client
	 * that reset it during {@code onConnect}), the channel is told at once.
	 * @param channel the channel
	 */
	public final void bind(OpenChannel channel) {
		this.channel = channel;
		if (this.disconnected) {
			channel.handleClosed();
		}
	}

	/**
	 * The channel, once bound.
	 * @return the channel, or {@code null}
	 */
	protected final @Nullable OpenChannel channel() {
		return this.channel;
	}

	/**
	 * The channel id, or the server's session id before the channel is bound.
	 * @return the id
	 */
	protected final String channelId() {
		OpenChannel channel = this.channel;
		return (channel != null) ? channel.id() : sessionId();
	}

	/**
	 * The server's session id.
	 * @return the id
	 */
	protected abstract String sessionId();

	// Outbound

	@Override
	public final void sendText(String text) {
		enqueue(text, text.length());
	}

	@Override
	public final void sendBinary(ByteBuffer data) {
		enqueue(data, data.remaining());
	}

	private void enqueue(Object message, int size) {
		if (this.closing) {
			throw new ChannelClosedException(channelId());
		}
		long before = this.queuedBytes.getAndAdd(size);
		if (before + size > this.settings.sendBufferLimit()) {
			abort(1008, "Send buffer limit exceeded");
			throw new ChannelClosedException(channelId());
		}
		if (!offer(message, size)) {
			this.closing = true;
			throw new ChannelClosedException(channelId());
		}
	}

	/**
	 * Queues (or writes) one message; called once it fits the send buffer limit.
	 * @param message a {@code String} or a {@code ByteBuffer}
	 * @param size what it counts against the limit
	 * @return {@code false} if the connection is closed
	 */
	protected abstract boolean offer(Object message, int size);

	/**
	 * A queued message has been written (or dropped).
	 * @param size what it counted against the limit
	 */
	protected final void written(int size) {
		long queued = this.queuedBytes.addAndGet(-size);
		if (queued <= lowWater() && this.waitingForQueue.get() && this.waitingForQueue.compareAndSet(true, false)) {
			readAnswered();
		}
	}

	/**
	 * What is queued, in the units of the send buffer limit.
	 * @return the queued size
	 */
	protected final long queued() {
		return this.queuedBytes.get();
	}

	/**
	 * Whether the connection is closing or closed: nothing more is queued.
	 * @return {@code true} once closing
	 */
	protected final boolean isClosing() {
		return this.closing;
	}

	/** Stops queueing for good and forgets what is queued. */
	protected final void stopQueueing() {
		this.closing = true;
		this.queuedBytes.set(0);
	}

	@Override
	public final void close(int code, @Nullable String reason) {
		if (this.closing) {
			return;
		}
		this.closing = true;
		closeAfterQueued(code, reason);
	}

	/**
	 * Closes the connection after the messages already queued.
	 * @param code the close code
	 * @param reason the reason, or {@code null}
	 */
	protected abstract void closeAfterQueued(int code, @Nullable String reason);

	/**
	 * Gives up on the queue and closes the connection now, without holding up the caller.
	 * @param code the close code
	 * @param reason the reason
	 */
	protected abstract void abort(int code, String reason);

	@Override
	public final void goAway(int code, String reason) {
		close(code, reason);
	}

	/**
	 * Closes a connection silent for longer than the timeout (a vanished client),
	 * otherwise pings it.
	 */
	@Override
	public final void heartbeat(long now, long timeoutNanos) {
		if (this.closing) {
			return;
		}
		if (this.heardSinceBeat) {
			this.heardSinceBeat = false;
			this.lastHeard = now;
		}
		else if (now - this.lastHeard > timeoutNanos) {
			abort(1001, "Heartbeat timeout");
			return;
		}
		ping();
	}

	/** Sends a ping without holding up the caller. */
	protected abstract void ping();

	/**
	 * The client answered a ping or sent a frame. The next heartbeat takes it as heard
	 * then: silence is measured from heartbeat to heartbeat.
	 */
	protected final void heard() {
		if (!this.heardSinceBeat) {
			this.heardSinceBeat = true;
		}
	}

	@Override
	public final void closed() {
		stopQueueing();
		this.disconnected = true;
		dropQueue();
		OpenChannel channel = this.channel;
		if (channel != null) {
			channel.handleClosed();
		}
	}

	/** Forgets what is queued, once the connection has closed. */
	protected abstract void dropQueue();

	// Inbound

	/**
	 * Counts a frame handed to the channel as in flight until it is answered; pauses
	 * reading when the window is full, and goes on reading in batches as frames are
	 * answered.
	 * @param answer the channel's answer to the frame, or {@code null} if it needs none
	 */
	protected final void inFlight(@Nullable CompletionStage<Void> answer) {
		if (answer == null) {
			answered();
			return;
		}
		CompletableFuture<Void> future = answer.toCompletableFuture();
		if (future.isDone()) {
			answered();
			return;
		}
		if (this.inFlight.incrementAndGet() >= WINDOW) {
			pauseReading();
		}
		future.whenComplete((ignored, failure) -> {
			this.inFlight.decrementAndGet();
			answered();
		});
	}

	private void answered() {
		if (this.answered.incrementAndGet() < WINDOW / 2) {
			return;
		}
		if (this.queuedBytes.get() > highWater()) {
			// Replies wait to be written: ask for more frames once the client has taken
			// most of them, rather than queue its calls' replies until the send buffer
			// limit closes it. (A transport reading on without being asked, as the
			// servlet one does, writes most replies on the reading thread instead.)
			this.waitingForQueue.set(true);
			if (this.queuedBytes.get() > lowWater() || !this.waitingForQueue.compareAndSet(true, false)) {
				// written() reads on when the queue has drained
				return;
			}
		}
		readAnswered();
	}

	private void readAnswered() {
		int batch = this.answered.getAndSet(0);
		if (batch > 0) {
			readMore(batch);
		}
	}

	/** Past this many queued bytes, answered frames do not let more be read. */
	private long highWater() {
		return this.settings.sendBufferLimit() / 4;
	}

	/** Reading goes on once the queue is down to this many bytes. */
	private long lowWater() {
		return this.settings.sendBufferLimit() / 8;
	}

	/** Frames in flight, read but not answered. */
	protected final int framesInFlight() {
		return this.inFlight.get();
	}

	/**
	 * Stops reading frames from the client, until {@link #readMore(int)}.
	 */
	protected abstract void pauseReading();

	/**
	 * Reads on, after a batch of frames was answered.
	 * @param answered how many frames were answered since the last call
	 */
	protected abstract void readMore(int answered);

}
