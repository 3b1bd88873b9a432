package io.pikku.web.socket.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.runtime.ChannelConnection;
import io.pikku.channel.runtime.OpenChannel;
import io.pikku.web.ChannelTransport;
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
 * One connection on the servlet container: a bounded outbound queue written with the
 * Jakarta WebSocket asynchronous API, one message at a time, and the assembly of partial
 * inbound frames.
 *
 * <p>
 * A close never waits for the queue. The container answers a client's close on the thread
 * that read it, with a blocking send that waits for the write in progress, and completes
 * asynchronous writes on its own threads: in a storm of closes every container thread
 * could wait for writes that only a container thread can complete. So once the client's
 * close has arrived (or the session closes for any other reason) nothing more is written
 * and the queue is dropped, and the container waits at most {@link #CLOSE_WAIT} for the
 * write in progress before it drops the connection without a close frame. Only this
 * connection's own blocking writes (a reply on its reading thread, a ping, its own close)
 * may take up to the send time limit.
 */
final class ServletConnection implements ChannelConnection, ChannelTransport.Connection {

	private static final Log logger = LogFactory.getLog(ServletConnection.class);

	/**
	 * How long the container's answer to a client's close may wait for the write in
	 * progress.
	 */
	static final long CLOSE_WAIT_MILLIS = 100;

	private final WebSocketSession session;

	private final RemoteEndpoint.Async remote;

	private final RemoteEndpoint.Basic basic;

	private final ContainerSession container;

	/** The native session's properties, where Tomcat reads its blocking send timeout. */
	private final java.util.Map<String, Object> properties;

	private final long sendTimeLimitMillis;

	/** Tomcat's session property that bounds a blocking write, in milliseconds. */
	private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** The container thread handling one of this connection's frames right now. */
	private volatile @Nullable Thread reader;

	private final ServletChannelTransport transport;

	private final int maxTextSize;

	private final int maxBinarySize;

	private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicBoolean writing = new AtomicBoolean();

	private volatile boolean closing;

	/** The container reported the close; read by bind() when the channel comes later. */
	private volatile boolean disconnected;

	private volatile long lastHeard = System.nanoTime();

	/** The marker of a ping in the outbound queue. */
	private static final Object PING = new Object();

	private @Nullable OpenChannel channel;

	// Inbound assembly: touched only by the container's reading thread.
	private @Nullable StringBuilder text;

	private @Nullable ByteArrayOutputStream binary;

	private boolean discarding;

	ServletConnection(WebSocketSession session, ServletChannelTransport transport, int maxTextSize, int maxBinarySize) {
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

	void bind(OpenChannel channel) {
		this.channel = channel;
		if (this.disconnected) {
			// The connection closed while onConnect ran (e.g. the client reset it during
			// the welcome): closed() found no channel yet, so clean up here.
			channel.handleClosed();
		}
	}

	// Inbound

	void receiveText(String part, boolean last) {
		if (this.discarding) {
			finishDiscarding(last, this.maxTextSize);
			return;
		}
		if (this.text == null && last) {
			if (exceeds(part, this.maxTextSize)) {
				oversized(this.maxTextSize);
			}
			else {
				reading(() -> channel().handleText(part));
			}
			return;
		}
		StringBuilder buffer = (this.text != null) ? this.text : new StringBuilder(part.length() * 2);
		buffer.append(part);
		if (exceeds(buffer, this.maxTextSize)) {
			this.text = null;
			this.discarding = true;
			finishDiscarding(last, this.maxTextSize);
			return;
		}
		if (last) {
			this.text = null;
			reading(() -> channel().handleText(buffer.toString()));
		}
		else {
			this.text = buffer;
		}
	}

	void receiveBinary(ByteBuffer part, boolean last) {
		if (this.discarding) {
			finishDiscarding(last, this.maxBinarySize);
			return;
		}
		if (this.binary == null && last) {
			if (part.remaining() > this.maxBinarySize) {
				oversized(this.maxBinarySize);
			}
			else {
				reading(() -> channel().handleBinary(part));
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
			reading(() -> channel().handleBinary(ByteBuffer.wrap(buffer.toByteArray())));
		}
		else {
			this.binary = buffer;
		}
	}

	/**
	 * Runs a frame's handling on the container thread that read it, marked as this
	 * connection's reader, so that a reply sent before it returns may be written at once.
	 */
	private void reading(Runnable handling) {
		this.reader = Thread.currentThread();
		try {
			handling.run();
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
		channel().handleOversizedFrame(limit);
	}

	private OpenChannel channel() {
		OpenChannel channel = this.channel;
		if (channel == null) {
			throw new IllegalStateException("Connection " + this.session.getId() + " has no channel yet");
		}
		return channel;
	}

	/**
	 * Whether text is longer than the limit in UTF-8, counting bytes only when the
	 * character count cannot tell.
	 */
	static boolean exceeds(CharSequence text, int limit) {
		int chars = text.length();
		if (chars > limit) {
			return true;
		}
		if ((long) chars * 3 <= limit) {
			return false;
		}
		long bytes = 0;
		for (int i = 0; i < chars; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes > limit;
	}

	// Outbound

	@Override
	public void sendText(String text) {
		enqueue(text, text.length());
	}

	@Override
	public void sendBinary(ByteBuffer data) {
		enqueue(data, data.remaining());
	}

	private void enqueue(Object message, int size) {
		if (this.closing) {
			throw new ChannelClosedException(channelId());
		}
		if (this.queuedBytes.addAndGet(size) > this.transport.settings().sendBufferLimit()) {
			abort(CloseStatus.POLICY_VIOLATION.withReason("Send buffer limit exceeded"));
			throw new ChannelClosedException(channelId());
		}
		if (Thread.currentThread() == this.reader && writeNow(message, size)) {
			return;
		}
		this.outbound.add(message);
		drain();
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
			blocking(() -> {
				if (message instanceof String text) {
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
		finally {
			this.queuedBytes.addAndGet(-size);
			this.writing.set(false);
			this.transport.releaseBlockingWrite();
		}
		drain();
		return true;
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
	public void close(int code, @Nullable String reason) {
		if (this.closing) {
			return;
		}
		this.closing = true;
		this.outbound.add(new CloseStatus(code, reason));
		drain();
	}

	/**
	 * Called every heartbeat interval: closes a connection silent for longer than the
	 * timeout (a vanished client), otherwise queues a ping.
	 * @param now the current {@link System#nanoTime()}
	 * @param timeoutNanos how long a connection may stay silent
	 */
	@Override
	public void heartbeat(long now, long timeoutNanos) {
		if (this.closing) {
			return;
		}
		if (now - this.lastHeard > timeoutNanos) {
			abort(new CloseStatus(1001, "Heartbeat timeout"));
			return;
		}
		this.outbound.add(PING);
		drain();
	}

	/** The client answered a ping or sent a frame. */
	void heard() {
		this.lastHeard = System.nanoTime();
	}

	private void sendPing() {
		try {
			blocking(() -> this.remote.sendPing(ByteBuffer.allocate(0)));
		}
		catch (IOException | RuntimeException ex) {
			failed(ex);
		}
		finally {
			this.writing.set(false);
			drain();
		}
	}

	@Override
	public void goAway(int code, String reason) {
		close(code, reason);
	}

	@Override
	public void closed() {
		this.closing = true;
		this.disconnected = true;
		this.outbound.clear();
		this.queuedBytes.set(0);
		OpenChannel channel = this.channel;
		if (channel != null) {
			channel.handleClosed();
		}
	}

	private void drain() {
		while (this.writing.compareAndSet(false, true)) {
			Object next = this.outbound.poll();
			if (next == null) {
				this.writing.set(false);
				if (this.outbound.isEmpty()) {
					return;
				}
				continue;
			}
			if (this.container.isClosing()) {
				// The client's close has arrived, or the session is closing: nobody reads
				// what is queued, and the container's answer to the close must not wait
				// for it.
				giveUp();
				return;
			}
			if (next instanceof CloseStatus status) {
				this.transport.inBackground(() -> closeSession(status));
				return;
			}
			if (next == PING) {
				// The container sends control frames blocking: do it off the caller's
				// thread, still one write at a time.
				this.transport.inBackground(this::sendPing);
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
			if (!write.returned()) {
				return;
			}
		}
	}

	private static int sizeOf(Object message) {
		if (message == PING) {
			return 0;
		}
		return (message instanceof String string) ? string.length() : ((ByteBuffer) message).remaining();
	}

	private void failed(Throwable failure) {
		if (failure instanceof java.io.EOFException || this.container.isClosing()) {
			// The container is closing the connection itself (the client's close, a
			// protocol error with its own close code): give up the queue without racing
			// it.
			this.closing = true;
			this.outbound.clear();
			return;
		}
		if (failure instanceof SocketTimeoutException || failure.getCause() instanceof SocketTimeoutException) {
			abort(CloseStatus.POLICY_VIOLATION.withReason("Send time limit exceeded"));
		}
		else {
			if (logger.isDebugEnabled()) {
				logger.debug("Send failed on session " + this.session.getId(), failure);
			}
			abort(CloseStatus.SERVER_ERROR);
		}
	}

	/** Stops writing for good: drops the queue and lets the next writer in. */
	private void giveUp() {
		this.closing = true;
		this.outbound.clear();
		this.queuedBytes.set(0);
		this.writing.set(false);
	}

	/** Gives up on the queue and closes the session from another thread. */
	private void abort(CloseStatus status) {
		this.closing = true;
		this.outbound.clear();
		this.transport.inBackground(() -> closeSession(status));
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

	private String channelId() {
		OpenChannel channel = this.channel;
		return (channel != null) ? channel.id() : this.session.getId();
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
			ServletConnection.this.queuedBytes.addAndGet(-this.size);
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
