package io.pikku.web.servlet;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.pikku.channel.runtime.OpenChannel;
import io.pikku.channel.runtime.Utf8;
import io.pikku.web.AbstractChannelConnection;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * One connection on the servlet container: a bounded outbound queue, written one message
 * at a time by the transport's {@link ServletWriters} with the Jakarta WebSocket blocking
 * API (or with its asynchronous API while the client is slow to read), and the assembly
 * of partial inbound frames.
 *
 * <p>
 * A close never waits for the queue. The container answers a client's close on the thread
 * that read it, with a blocking send that waits for the write in progress, and completes
 * asynchronous writes on its own threads: in a storm of closes every container thread
 * could wait for writes that only a container thread can complete. So once the client's
 * close has arrived (or the session closes for any other reason) nothing more is written
 * and the queue is dropped, and the container waits at most {@link #CLOSE_WAIT_MILLIS}
 * for the write in progress before it drops the connection without a close frame. Only
 * this connection's own blocking writes may take up to the send time limit; a close
 * answered while a writer's write to this connection has been blocked for less than
 * {@link ServletWriters#STALL} (plus a watch interval) waits for it up to that limit, as
 * the watcher that gives up on the write lowers the wait only then.
 */
final class ServletConnection extends AbstractChannelConnection {

	private static final Log logger = LogFactory.getLog(ServletConnection.class);

	/**
	 * How long the container's answer to a client's close may wait for the write in
	 * progress.
	 */
	static final long CLOSE_WAIT_MILLIS = 100;

	/** Tomcat's session property that bounds a blocking write, in milliseconds. */
	private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** The marker of a ping in the outbound queue. */
	private static final Object PING = new Object();

	private final WebSocketSession session;

	private final RemoteEndpoint.Async remote;

	private final RemoteEndpoint.Basic basic;

	private final ContainerSession container;

	/** The native session's properties, where Tomcat reads its blocking send timeout. */
	private final Map<String, Object> properties;

	private final long sendTimeLimitMillis;

	private final ServletChannelTransport transport;

	private final int maxTextSize;

	private final int maxBinarySize;

	private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writing = new AtomicBoolean();

	/** The container thread handling one of this connection's frames right now. */
	private volatile @Nullable Thread reader;

	private volatile boolean paused;

	/**
	 * A write took too long: the queue is written with the asynchronous API until it has
	 * drained.
	 */
	private volatile boolean slow;

	// Inbound assembly: touched only by the container's reading thread.
	private @Nullable StringBuilder text;

	private @Nullable ByteArrayOutputStream binary;

	private boolean discarding;

	ServletConnection(WebSocketSession session, ServletChannelTransport transport, int maxTextSize, int maxBinarySize) {
		super(transport.settings());
		this.session = session;
		this.transport = transport;
		this.maxTextSize = maxTextSize;
		this.maxBinarySize = maxBinarySize;
		Session nativeSession = (session instanceof NativeWebSocketSession nativeWebSocketSession)
				? nativeWebSocketSession.getNativeSession(Session.class) : null;
		if (nativeSession == null) {
			throw new IllegalStateException("Pikku's servlet transport needs a Jakarta WebSocket session");
		}
		this.remote = nativeSession.getAsyncRemote();
		this.remote.setSendTimeout(transport.settings().sendTimeLimit().toMillis());
		this.basic = nativeSession.getBasicRemote();
		this.container = new ContainerSession(nativeSession);
		this.properties = nativeSession.getUserProperties();
		this.sendTimeLimitMillis = transport.settings().sendTimeLimit().toMillis();
		this.properties.put(BLOCKING_SEND_TIMEOUT, CLOSE_WAIT_MILLIS);
	}

	@Override
	protected String sessionId() {
		return this.session.getId();
	}

	// Inbound

	void receiveText(String part, boolean last) {
		heard();
		if (this.discarding) {
			finishDiscarding(last, this.maxTextSize);
			return;
		}
		if (this.text == null && last) {
			if (Utf8.exceeds(part, this.maxTextSize)) {
				oversized(this.maxTextSize);
			}
			else {
				reading(() -> open().handleText(part));
			}
			return;
		}
		StringBuilder buffer = (this.text != null) ? this.text : new StringBuilder(part.length() * 2);
		buffer.append(part);
		if (Utf8.exceeds(buffer, this.maxTextSize)) {
			this.text = null;
			this.discarding = true;
			finishDiscarding(last, this.maxTextSize);
			return;
		}
		if (last) {
			this.text = null;
			reading(() -> open().handleText(buffer.toString()));
		}
		else {
			this.text = buffer;
		}
	}

	void receiveBinary(ByteBuffer part, boolean last) {
		heard();
		if (this.discarding) {
			finishDiscarding(last, this.maxBinarySize);
			return;
		}
		if (this.binary == null && last) {
			if (part.remaining() > this.maxBinarySize) {
				oversized(this.maxBinarySize);
			}
			else {
				reading(() -> open().handleBinary(part));
			}
			return;
		}
		ByteArrayOutputStream buffer = (this.binary != null) ? this.binary : new ByteArrayOutputStream();
		if (buffer.size() + part.remaining() > this.maxBinarySize) {
			this.binary = null;
			this.discarding = true;
			finishDiscarding(last, this.maxBinarySize);
			return;
		}
		byte[] bytes = new byte[part.remaining()];
		part.get(bytes);
		buffer.write(bytes, 0, bytes.length);
		if (last) {
			this.binary = null;
			reading(() -> open().handleBinary(ByteBuffer.wrap(buffer.toByteArray())));
		}
		else {
			this.binary = buffer;
		}
	}

	void pong() {
		heard();
	}

	/**
	 * Hands a frame to the channel on the container thread that read it, marked as this
	 * connection's reader, so that a reply sent before it returns may be written at once;
	 * and counts it in flight until it is answered.
	 */
	private void reading(Supplier<CompletionStage<Void>> handling) {
		this.reader = Thread.currentThread();
		try {
			inFlight(handling.get());
		}
		finally {
			this.reader = null;
		}
	}

	private void finishDiscarding(boolean last, int limit) {
		if (last) {
			this.discarding = false;
			oversized(limit);
		}
	}

	private void oversized(int limit) {
		open().handleOversizedFrame(limit);
	}

	private OpenChannel open() {
		OpenChannel channel = channel();
		if (channel == null) {
			throw new IllegalStateException("Connection " + this.session.getId() + " has no channel yet");
		}
		return channel;
	}

	@Override
	protected void pauseReading() {
		if (!this.paused) {
			this.paused = true;
			this.container.suspend();
		}
	}

	@Override
	protected void readMore(int answered) {
		if (this.paused && framesInFlight() < WINDOW) {
			this.paused = false;
			this.container.resume();
		}
	}

	// Outbound

	@Override
	protected boolean offer(Object message, int size) {
		if (Thread.currentThread() == this.reader && writeNow(message, size)) {
			return true;
		}
		this.outbound.add(message);
		drain();
		return true;
	}

	/**
	 * Writes a message at once with the container's blocking API, when this is the thread
	 * handling this connection's frame and nothing else is queued or being written: a
	 * reply to the connection's own call. The write can block only this connection's own
	 * reader (as the container's reads do), for at most the send time limit; sends from
	 * any other thread (broadcasts, other connections) always queue and never block.
	 * Tomcat completes every asynchronous write on another of its threads, so this saves
	 * a thread hand-off per reply.
	 * @return whether the message was written (or failed) here
	 */
	private boolean writeNow(Object message, int size) {
		if (!this.outbound.isEmpty() || !this.transport.tryBlockingWrite()) {
			return false;
		}
		if (!this.writing.compareAndSet(false, true)) {
			this.transport.releaseBlockingWrite();
			return false;
		}
		if (!this.outbound.isEmpty()) {
			this.writing.set(false);
			this.transport.releaseBlockingWrite();
			return false;
		}
		try {
			writeBlocking(message);
		}
		finally {
			written(size);
			this.writing.set(false);
			this.transport.releaseBlockingWrite();
		}
		drain();
		return true;
	}

	/**
	 * Writes one message, or a ping, with the blocking API within the send time limit; a
	 * failure closes the connection.
	 */
	private void writeBlocking(Object message) {
		try {
			blocking(() -> {
				if (message == PING) {
					this.basic.sendPing(ByteBuffer.allocate(0));
				}
				else if (message instanceof String text) {
					this.basic.sendText(text);
				}
				else {
					this.basic.sendBinary((ByteBuffer) message);
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			failed(ex);
		}
	}

	/**
	 * Runs one of this connection's own blocking writes with the send time limit as its
	 * timeout; any other blocking send (the container's answer to a close) keeps
	 * {@link #CLOSE_WAIT_MILLIS}.
	 */
	private void blocking(BlockingWrite write) throws IOException {
		this.properties.put(BLOCKING_SEND_TIMEOUT, this.sendTimeLimitMillis);
		try {
			write.run();
		}
		finally {
			this.properties.put(BLOCKING_SEND_TIMEOUT, CLOSE_WAIT_MILLIS);
		}
	}

	@Override
	protected void closeAfterQueued(int code, @Nullable String reason) {
		this.outbound.add(new CloseStatus(code, reason));
		drain();
	}

	@Override
	protected void ping() {
		this.outbound.add(PING);
		drain();
	}

	private void sendPing() {
		try {
			writeBlocking(PING);
		}
		finally {
			this.writing.set(false);
			drain();
		}
	}

	@Override
	protected void dropQueue() {
		this.outbound.clear();
	}

	/**
	 * Gets the queue written: by one of the transport's writers, or with the asynchronous
	 * API while this connection's client is slow to read or no writer is free.
	 */
	private void drain() {
		if (this.slow || !this.transport.writers().serving()) {
			drainAsynchronously();
		}
		else if (!this.outbound.isEmpty() && this.writing.compareAndSet(false, true)) {
			this.transport.writers().submit(this);
		}
	}

	/**
	 * Writes queued messages with the blocking API, on a writer of the transport that has
	 * made this connection's only writer: until the queue is empty or for
	 * {@link ServletWriters#BATCH} messages, after which the connection goes back to the
	 * end of the writers' queue.
	 */
	void writeQueued() {
		ServletWriters.Writer writer = (ServletWriters.Writer) Thread.currentThread();
		for (int budget = ServletWriters.BATCH;; budget--) {
			if (this.slow) {
				handOver();
				return;
			}
			Object next = takeNext();
			if (next == null) {
				return;
			}
			if (next instanceof CloseStatus status) {
				writer.writing();
				try {
					closeSession(status);
				}
				finally {
					writer.wrote();
				}
				return;
			}
			// Counted before the write, which consumes a buffer.
			int size = (next != PING) ? sizeOf(next) : 0;
			writer.writing();
			try {
				writeBlocking(next);
			}
			finally {
				writer.wrote();
				written(size);
			}
			if (budget == 1) {
				// Let the connections queued after this one go first.
				this.transport.writers().submit(this);
				return;
			}
		}
	}

	/**
	 * Called by the writers' watcher when this connection's write has taken too long: its
	 * client reads slowly, so its queue is written with the asynchronous API until it has
	 * drained.
	 */
	void writeAsynchronously() {
		this.slow = true;
		// The write in progress has read its timeout: the container's answer to a close
		// from now on waits for it no longer than for an asynchronous write.
		this.properties.put(BLOCKING_SEND_TIMEOUT, CLOSE_WAIT_MILLIS);
	}

	/**
	 * Goes on with the asynchronous API, from a writer (or the writers' queue) that was
	 * this connection's only writer.
	 */
	void handOver() {
		this.writing.set(false);
		drainAsynchronously();
	}

	private void drainAsynchronously() {
		if (!this.writing.compareAndSet(false, true)) {
			return;
		}
		Object next;
		while ((next = takeNext()) != null) {
			if (next instanceof CloseStatus status) {
				this.transport.runInBackground(() -> closeSession(status));
				return;
			}
			if (next == PING) {
				// The container sends control frames blocking: do it off the caller's
				// thread, still one write at a time.
				this.transport.runInBackground(this::sendPing);
				return;
			}
			Write write = new Write(sizeOf(next));
			try {
				if (next instanceof String string) {
					this.remote.sendText(string, write);
				}
				else {
					this.remote.sendBinary((ByteBuffer) next, write);
				}
			}
			catch (RuntimeException ex) {
				write.onResult(new SendResult(ex));
			}
			if (!write.returned() || !this.writing.compareAndSet(false, true)) {
				// The write completes later, or completed and another writer took over.
				return;
			}
		}
	}

	/**
	 * The next message to write, for this connection's only writer; or {@code null} once
	 * the writer has let go: the queue was empty (and the connection is no longer slow),
	 * or the session is closing (and the queue was dropped).
	 */
	private @Nullable Object takeNext() {
		for (;;) {
			Object next = this.outbound.poll();
			if (next == null) {
				if (this.slow) {
					// a volatile store only when it changes: this runs once per delivery
					this.slow = false;
				}
				this.writing.set(false);
				if (this.outbound.isEmpty() || !this.writing.compareAndSet(false, true)) {
					return null;
				}
				continue;
			}
			if (this.container.isClosing()) {
				// The client's close has arrived, or the session is closing: nobody reads
				// what is queued, and the container's answer to the close must not wait
				// for it.
				giveUp();
				return null;
			}
			return next;
		}
	}

	private static int sizeOf(Object message) {
		return (message instanceof String string) ? string.length() : ((ByteBuffer) message).remaining();
	}

	private void failed(Throwable failure) {
		if (failure instanceof EOFException || this.container.isClosing()) {
			// The container is closing the connection itself (the client's close, a
			// protocol error with its own close code): give up the queue without racing
			// it.
			stopQueueing();
			this.outbound.clear();
			return;
		}
		if (failure instanceof SocketTimeoutException || failure.getCause() instanceof SocketTimeoutException) {
			abort(1008, "Send time limit exceeded");
		}
		else {
			if (logger.isDebugEnabled()) {
				logger.debug("Send failed on session " + this.session.getId(), failure);
			}
			abort(1011, "Server error");
		}
	}

	/** Stops writing for good: drops the queue and lets the next writer in. */
	private void giveUp() {
		stopQueueing();
		this.outbound.clear();
		this.writing.set(false);
	}

	@Override
	protected void abort(int code, String reason) {
		stopQueueing();
		this.outbound.clear();
		CloseStatus status = (code == 1011) ? CloseStatus.SERVER_ERROR : new CloseStatus(code, reason);
		this.transport.runInBackground(() -> closeSession(status));
	}

	private void closeSession(CloseStatus status) {
		try {
			blocking(() -> this.session.close(status));
		}
		catch (IOException | RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Close failed on session " + this.session.getId(), ex);
			}
		}
	}

	/** A blocking write of this connection's own. */
	@FunctionalInterface
	private interface BlockingWrite {

		void run() throws IOException;

	}

	/**
	 * The completion of one asynchronous write. A write that completes on the calling
	 * thread lets the drain loop continue instead of recursing.
	 */
	private final class Write implements SendHandler {

		private static final int PENDING = 0;

		private static final int RETURNED = 1;

		private static final int COMPLETED = 2;

		private final int size;

		private final AtomicInteger state = new AtomicInteger(PENDING);

		Write(int size) {
			this.size = size;
		}

		@Override
		public void onResult(SendResult result) {
			written(this.size);
			if (!result.isOK()) {
				failed(result.getException());
			}
			ServletConnection.this.writing.set(false);
			if (this.state.getAndSet(COMPLETED) == RETURNED) {
				drain();
			}
		}

		/**
		 * Called by the drain loop after starting the write: whether it completed
		 * already.
		 */
		boolean returned() {
			return this.state.getAndSet(RETURNED) == COMPLETED;
		}

	}

}
