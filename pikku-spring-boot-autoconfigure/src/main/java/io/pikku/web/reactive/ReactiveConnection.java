package io.pikku.web.reactive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.pikku.channel.runtime.OpenChannel;
import io.pikku.web.AbstractChannelConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SignalType;
import reactor.util.concurrent.Queues;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One connection on a reactive server: an outbound queue that any thread may add to,
 * drained by the server as the socket takes it, and inbound frames handed to the runtime
 * with a bounded number in flight, so that a client sending faster than its calls
 * complete is slowed down by TCP rather than buffered.
 */
final class ReactiveConnection extends AbstractChannelConnection {

	private static final Log logger = LogFactory.getLog(ReactiveConnection.class);

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils.isPresent("reactor.netty.Connection",
			ReactiveConnection.class.getClassLoader());

	/** The marker of a ping in the outbound queue. */
	private static final Object PING = new Object();

	private static final VarHandle WRITES;

	static {
		try {
			WRITES = MethodHandles.lookup().findVarHandle(ReactiveConnection.class, "writes", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final WebSocketSession session;

	private final ReactiveChannelTransport transport;

	private final int maxTextSize;

	private final int maxBinarySize;

	/**
	 * The outbound queue. Emissions take turns under its lock ({@link #emit}), so the
	 * sink need not serialize them again.
	 */
	private final Sinks.Many<Object> outbound = Sinks.unsafe()
		.many()
		.unicast()
		.onBackpressureBuffer(Queues.<Object>unbounded(16).get());

	/**
	 * Messages written so far (written by the drain, one thread at a time; read by the
	 * watcher with {@link #WRITES}): the watcher compares it from round to round rather
	 * than each write reading the clock.
	 */
	@SuppressWarnings("unused")
	private long writes;

	/** The last count of writes the watcher saw; touched by the watcher only. */
	private long watchedWrites;

	/** Since when the watcher has seen the queue waiting without a write. */
	private long waitingSince = System.nanoTime();

	/**
	 * A close status has left the queue: what follows it is dropped. Touched only by the
	 * send's drain, one thread at a time.
	 */
	private boolean outputEnded;

	private final Inbound inbound = new Inbound();

	ReactiveConnection(WebSocketSession session, ReactiveChannelTransport transport, int maxTextSize,
			int maxBinarySize) {
		super(transport.settings());
		this.session = session;
		this.transport = transport;
		this.maxTextSize = maxTextSize;
		this.maxBinarySize = maxBinarySize;
	}

	@Override
	protected String sessionId() {
		return this.session.getId();
	}

	/**
	 * Serves the connection: writes the outbound queue and reads frames until the
	 * connection closes.
	 * @return completes when the connection has closed
	 */
	Mono<Void> serve() {
		Inbound inbound = this.inbound;
		Mono<Void> output = this.session.send(output()).onErrorResume((ex) -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Send failed on session " + this.session.getId(), ex);
			}
			return Mono.empty();
		});
		Mono<Void> input = Mono.defer(() -> {
			this.session.receive().subscribe(inbound);
			return inbound.done.asMono();
		});
		return Mono.when(output, input);
	}

	/**
	 * The outbound queue as WebSocket messages, up to a close. Only operators that
	 * Reactor Netty's send fuses with the queue and that keep no message in a field: an
	 * operator's field is as old as the connection, so storing each message there would
	 * give the collector a card to refine per message, thousands a second across a
	 * fan-out's connections.
	 */
	private Flux<WebSocketMessage> output() {
		return this.outbound.asFlux().filter(this::isMessage).map(this::message);
	}

	/**
	 * Whether an item of the queue is a message; a close status is not: it closes the
	 * session, after the messages before it, and ends the queue.
	 */
	private boolean isMessage(Object item) {
		if (this.outputEnded) {
			return false;
		}
		if (item instanceof CloseStatus status) {
			this.outputEnded = true;
			closeSession(status);
			dropQueue();
			return false;
		}
		return true;
	}

	private WebSocketMessage message(Object item) {
		if (item instanceof String text) {
			moved(text.length());
			return this.session.textMessage(text);
		}
		if (item instanceof ByteBuffer data) {
			moved(data.remaining());
			return this.session.binaryMessage((factory) -> factory.wrap(data));
		}
		return this.session.pingMessage((factory) -> factory.allocateBuffer(0));
	}

	private void moved(int size) {
		written(size);
		WRITES.setOpaque(this, (long) WRITES.getOpaque(this) + 1);
	}

	// Inbound

	/**
	 * Hands one frame to the runtime.
	 * @return completes when the frame has been answered, or {@code null} if at once
	 */
	private @Nullable CompletionStage<Void> receive(WebSocketMessage message) {
		heard();
		OpenChannel channel = channel();
		if (channel == null || isClosing()) {
			return null;
		}
		DataBuffer payload = message.getPayload();
		if (REACTOR_NETTY_PRESENT && message.getNativeMessage() == ReactorNettyUpgradeStrategy.OVERSIZED_MESSAGE) {
			channel.handleOversizedFrame(
					(message.getType() == WebSocketMessage.Type.TEXT) ? this.maxTextSize : this.maxBinarySize);
			return null;
		}
		if (REACTOR_NETTY_PRESENT && ReactorNetty.hasReservedBits(message)) {
			// No extension is negotiated, so reserved bits are a protocol error.
			close(1002, "Reserved bits set");
			return null;
		}
		switch (message.getType()) {
			case TEXT -> {
				if (payload.readableByteCount() > this.maxTextSize) {
					channel.handleOversizedFrame(this.maxTextSize);
					return null;
				}
				String text = text(payload);
				if (text == null) {
					close(1007, "Invalid UTF-8");
					return null;
				}
				return channel.handleText(text);
			}
			case BINARY -> {
				if (payload.readableByteCount() > this.maxBinarySize) {
					channel.handleOversizedFrame(this.maxBinarySize);
					return null;
				}
				// The server releases the frame's buffer after this call: copy it.
				byte[] bytes = new byte[payload.readableByteCount()];
				payload.read(bytes);
				return channel.handleBinary(ByteBuffer.wrap(bytes));
			}
			default -> {
				// a pong (or a ping, which the server answers itself)
				return null;
			}
		}
	}

	/**
	 * A text frame's payload, or {@code null} if it is not valid UTF-8 (which the server
	 * does not check).
	 */
	private static @Nullable String text(DataBuffer payload) {
		if (REACTOR_NETTY_PRESENT && payload instanceof NettyDataBuffer netty) {
			return ReactorNetty.text(netty);
		}
		byte[] bytes = new byte[payload.readableByteCount()];
		payload.read(bytes);
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	// Outbound

	@Override
	protected boolean offer(Object message, int size) {
		return emit(message);
	}

	/** Adds to the outbound queue; any thread may call it, one at a time. */
	private boolean emit(Object item) {
		Sinks.EmitResult result;
		synchronized (this.outbound) {
			result = this.outbound.tryEmitNext(item);
		}
		return result.isSuccess();
	}

	@Override
	public @Nullable Executor blockingExecutor() {
		return this.transport.blockingExecutor();
	}

	@Override
	protected void closeAfterQueued(int code, @Nullable String reason) {
		emit(new CloseStatus(code, reason));
	}

	/**
	 * Pings on Reactor Netty outside the outbound queue, so that Reactor Netty's send
	 * sees one kind of frame. With pings among them, its type checks of every frame took
	 * the JVM's slow path, whose one-entry cache per class two event loops then kept
	 * overwriting (JDK-8180450, fixed in Java 23): 0.2 us more per reply in a profile at
	 * depth 8.
	 */
	@Override
	protected void ping() {
		if (REACTOR_NETTY_PRESENT && this.session instanceof ReactorNettyUpgradeStrategy.DroppableSession droppable) {
			droppable.ping(this::isClosing);
		}
		else {
			emit(PING);
		}
	}

	/**
	 * Closes a connection whose outbound queue has not moved for longer than the send
	 * time limit: its client stopped reading. Measured from one watch to the next: the
	 * queue waits from the first watch that finds it waiting without a write since the
	 * one before.
	 * @param now the current {@link System#nanoTime()}
	 */
	@Override
	public void watch(long now) {
		long writes = (long) WRITES.getOpaque(this);
		if (isClosing() || queued() == 0 || writes != this.watchedWrites) {
			this.watchedWrites = writes;
			this.waitingSince = now;
		}
		else if (now - this.waitingSince > settings().sendTimeLimit().toNanos()) {
			abort(1008, "Send time limit exceeded");
		}
	}

	@Override
	protected void dropQueue() {
		synchronized (this.outbound) {
			this.outbound.tryEmitComplete();
		}
	}

	@Override
	protected void pauseReading() {
		// Reading is driven by demand: it stops when the frames asked for have come.
	}

	@Override
	protected void readMore(int answered) {
		this.inbound.request(answered);
	}

	/**
	 * Gives up on the queue: sends the close frame and drops the connection if the client
	 * has not completed the close within the send time limit.
	 */
	@Override
	protected void abort(int code, String reason) {
		stopQueueing();
		closeSession(new CloseStatus(code, reason));
		this.transport.schedule(settings().sendTimeLimit(), this::dispose);
	}

	private void closeSession(CloseStatus status) {
		this.session.close(status).subscribe(null, (ex) -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Close failed on session " + this.session.getId(), ex);
			}
		});
	}

	/** Drops the TCP connection without waiting for the client. */
	private void dispose() {
		if (REACTOR_NETTY_PRESENT && this.session instanceof ReactorNettyUpgradeStrategy.DroppableSession droppable) {
			droppable.drop();
		}
		else {
			closeSession(CloseStatus.GOING_AWAY);
		}
	}

	/** Loaded only on Reactor Netty. */
	private static final class ReactorNetty {

		private static final char REPLACEMENT = '\uFFFD';

		static boolean hasReservedBits(WebSocketMessage message) {
			return message.getNativeMessage() instanceof WebSocketFrame frame && frame.rsv() != 0;
		}

		/**
		 * Decodes in one pass: the JDK's decoder replaces what is not UTF-8 with U+FFFD,
		 * so a text without it was valid (and an ASCII or Latin-1 text cannot hold it:
		 * the search ends at once). Only a text holding U+FFFD is checked again.
		 */
		static @Nullable String text(NettyDataBuffer payload) {
			ByteBuf buffer = payload.getNativeBuffer();
			String text = buffer.toString(StandardCharsets.UTF_8);
			if (text.indexOf(REPLACEMENT) < 0 || ByteBufUtil.isText(buffer, StandardCharsets.UTF_8)) {
				return text;
			}
			return null;
		}

	}

	/**
	 * Reads frames, keeping at most {@link #WINDOW} in flight.
	 */
	private final class Inbound extends BaseSubscriber<WebSocketMessage> {

		final Sinks.Empty<Void> done = Sinks.empty();

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(WINDOW);
		}

		@Override
		protected void hookOnNext(WebSocketMessage message) {
			CompletionStage<Void> stage;
			try {
				stage = receive(message);
			}
			catch (RuntimeException ex) {
				logger.error("Frame handling failed on session " + ReactiveConnection.this.session.getId(), ex);
				stage = null;
			}
			inFlight(stage);
		}

		@Override
		protected void hookOnError(Throwable failure) {
			if (logger.isDebugEnabled()) {
				logger.debug("Receive failed on session " + ReactiveConnection.this.session.getId(), failure);
			}
			// Nothing more can be read: close rather than stay open and deaf.
			close(1011, "Receive failed");
		}

		@Override
		protected void hookFinally(SignalType type) {
			this.done.tryEmitEmpty();
		}

	}

}
