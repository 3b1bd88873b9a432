package io.pikku.channel.runtime;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.pikku.channel.BinaryHandler;
import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.ChannelState;
import io.pikku.channel.ConnectHandler;
import io.pikku.channel.DisconnectHandler;
import io.pikku.channel.PikkuChannel;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import io.pikku.eventhub.Delivery;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One open connection to a channel: a transport's entry points for its frames and its
 * close. It puts the runtime's parts together for one connection: {@link FrameRouter}
 * reads a frame, {@link ActionInvoker} calls the function, {@link ReplyWriter} writes the
 * answer, {@link OutboundChannel} sends it, {@link FrameSequencer} keeps the connection's
 * frames in order.
 *
 * <p>
 * Threading: the transport passes frames one at a time ({@link #handleText},
 * {@link #handleBinary}, {@link #handleOversizedFrame}), never concurrently for one
 * connection. A synchronous function runs on the calling thread, unless the connection
 * has an executor for blocking work ({@link ChannelConnection#blockingExecutor()}) and
 * the function is not declared non-blocking; when a function returns a
 * {@link CompletionStage} (or a {@code Mono}), later frames of the connection wait for
 * it, so each connection's messages are handled in order. Sends may come from any thread.
 */
public final class OpenChannel {

	private static final Logger logger = LoggerFactory.getLogger(OpenChannel.class);

	private static final CompletableFuture<Void> DONE = FrameSequencer.DONE;

	private final RuntimeServices services;

	private final CompiledChannel channel;

	private final String id;

	private final Object openingData;

	private final FrameRouter router;

	private final ActionInvoker invoker;

	private final FrameSequencer sequencer;

	private final ConnectionRateLimiter limiter;

	private final ChannelRecorder recorder;

	private final OutboundChannel outbound;

	private final Info info = new Info();

	private final Runnable closed;

	private final AtomicBoolean disconnected = new AtomicBoolean();

	private volatile @Nullable PikkuSession session;

	/**
	 * The frame being answered, for listeners: one per connection, since frames are
	 * answered one at a time (each step starts when the one before has completed, which
	 * orders the writes to it).
	 */
	private final Answer answer = new Answer();

	OpenChannel(RuntimeServices services, CompiledChannel channel, ActionInvoker invoker, String id, Object openingData,
			@Nullable PikkuSession session, ChannelConnection connection, Runnable closed) {
		this.services = services;
		this.channel = channel;
		this.invoker = invoker;
		this.id = id;
		this.openingData = openingData;
		this.session = session;
		this.closed = closed;
		this.router = new FrameRouter(channel, services.mapper(), services.settings().correlationField());
		this.sequencer = new FrameSequencer(connection.blockingExecutor());
		this.limiter = new ConnectionRateLimiter(services.settings().rateLimit());
		this.recorder = new ChannelRecorder(services, id, channel.name());
		this.outbound = new OutboundChannel(this, connection, channel.channelMiddleware);
	}

	/**
	 * The unique id of this connection.
	 * @return the channel id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The channel name.
	 * @return the name
	 */
	public String name() {
		return this.channel.name();
	}

	/**
	 * The channel definition.
	 * @return the definition
	 */
	public ChannelDefinition<?> definition() {
		return this.channel.definition;
	}

	/**
	 * The current user session.
	 * @return the session, or {@code null}
	 */
	public @Nullable PikkuSession session() {
		return this.session;
	}

	/**
	 * The channel as functions see it, e.g. for sending from outside a call.
	 * @return the channel
	 */
	public PikkuChannel<?> channel() {
		return this.outbound;
	}

	/**
	 * A read-only view of this connection, for listeners and monitoring.
	 * @return the view
	 */
	public ConnectionInfo info() {
		return this.info;
	}

	Object openingData() {
		return this.openingData;
	}

	RuntimeServices services() {
		return this.services;
	}

	OutboundChannel outbound() {
		return this.outbound;
	}

	ChannelRecorder recorder() {
		return this.recorder;
	}

	void sessionChanged(@Nullable PikkuSession session) {
		this.session = session;
		this.recorder.sessionChanged(session);
	}

	// Lifecycle

	@SuppressWarnings("unchecked")
	void connect() {
		this.outbound.opened();
		this.recorder.opened(this.openingData, this.session);
		ConnectHandler<Object> onConnect = (ConnectHandler<Object>) this.channel.definition.onConnect();
		if (onConnect == null && this.channel.lifecycleMiddleware.isEmpty()) {
			return;
		}
		CompletableFuture<Void> connected = this.sequencer.mayBlock(() -> onConnect(onConnect)).exceptionally((ex) -> {
			afterConnect(null, ex);
			return null;
		}).toCompletableFuture();
		this.sequencer.awaiting(connected);
	}

	private CompletionStage<Void> onConnect(@Nullable ConnectHandler<Object> onConnect) {
		try {
			Object result = this.invoker.onConnect(onConnect, context(PikkuMiddleware.Kind.CONNECT, null, null),
					this.channel.lifecycleMiddleware);
			if (result instanceof CompletionStage<?> stage) {
				return stage.handle((value, ex) -> {
					afterConnect(value, ex);
					return (Void) null;
				});
			}
			afterConnect(result, null);
		}
		catch (Throwable ex) {
			afterConnect(null, ex);
		}
		return DONE;
	}

	private void afterConnect(@Nullable Object result, @Nullable Throwable failure) {
		if (failure == null && result != null) {
			try {
				sendQuietly(this.services.tree(result));
			}
			catch (Throwable writeFailure) {
				failure = writeFailure;
			}
		}
		if (failure == null) {
			return;
		}
		PikkuException error = clientError(Errors.unwrap(failure), "onConnect");
		sendErrorFrame(ReplyTo.NONE, error);
		this.outbound.close(ChannelErrorCodes.INTERNAL.equals(error.getCode()) ? 1011 : 1008, error.getCode());
	}

	/**
	 * Tells the channel that its connection has closed: runs {@code onDisconnect} once,
	 * whoever closed it.
	 */
	public void handleClosed() {
		closed();
	}

	/**
	 * Runs {@code onDisconnect} once and leaves every topic and the store.
	 * @return completes when done
	 */
	CompletionStage<Void> closed() {
		if (!this.disconnected.compareAndSet(false, true)) {
			return DONE;
		}
		this.outbound.closed();
		this.closed.run();
		this.services.listeners().closed(this.info);
		CompletableFuture<Void> inFlight = this.sequencer.pending();
		if (inFlight.isDone()) {
			return cleanUp();
		}
		// onConnect or a call still running (e.g. on a worker thread) may yet
		// subscribe or record: leave topics and the store after it.
		return this.services.writes()
			.track(inFlight.handle((ignored, failure) -> (Void) null).thenCompose((ignored) -> cleanUp()));
	}

	/**
	 * Opens a channel rebuilt from the store for one event, without recording it again or
	 * running {@code onConnect}.
	 * @param state the recorded state, or {@code null}
	 */
	void restored(@Nullable JsonNode state) {
		this.outbound.restored(state);
	}

	/**
	 * Completes when the frames and hooks started so far are done, and the store writes
	 * they made.
	 * @return a stage that never fails
	 */
	CompletionStage<Void> idle() {
		return this.sequencer.pending()
			.handle((ignored, failure) -> (Void) null)
			.thenCompose((ignored) -> this.recorder.written());
	}

	/**
	 * Leaves every topic and the channel store, and runs {@code onDisconnect}.
	 * @return completes when done; tracked, so that a graceful shutdown waits for it
	 */
	@SuppressWarnings("unchecked")
	private CompletionStage<Void> cleanUp() {
		CompletionStage<Void> forgotten = this.recorder.forget();
		DisconnectHandler<Object> onDisconnect = (DisconnectHandler<Object>) this.channel.definition.onDisconnect();
		if (onDisconnect == null && this.channel.lifecycleMiddleware.isEmpty()) {
			return forgotten;
		}
		CompletionStage<Void> disconnected = this.services.writes()
			.track(this.sequencer.mayBlock(() -> onDisconnect(onDisconnect)).exceptionally((ex) -> {
				onDisconnect(onDisconnect);
				return null;
			}));
		return forgotten.thenCombine(disconnected.handle((ignored, failure) -> (Void) null), (a, b) -> null);
	}

	private CompletionStage<Void> onDisconnect(@Nullable DisconnectHandler<Object> onDisconnect) {
		try {
			this.invoker.onDisconnect(onDisconnect, context(PikkuMiddleware.Kind.DISCONNECT, null, null),
					this.channel.lifecycleMiddleware);
		}
		catch (Throwable ex) {
			logger.error("onDisconnect of channel '{}' failed for connection {}", name(), this.id, ex);
		}
		return DONE;
	}

	// Frames

	/**
	 * Handles a text frame.
	 * @param text the frame
	 * @return completes when the frame has been answered
	 */
	public CompletionStage<Void> handleText(String text) {
		this.services.listeners().received(this.info);
		return this.sequencer.inOrder(() -> answered(() -> onText(text)));
	}

	/**
	 * Handles a binary frame.
	 * @param data the frame
	 * @return completes when the frame has been answered
	 */
	public CompletionStage<Void> handleBinary(ByteBuffer data) {
		this.services.listeners().received(this.info);
		return this.sequencer.inOrder(() -> answered(() -> onBinary(data)));
	}

	/**
	 * Answers a frame that the transport dropped for being larger than the limit.
	 * @param limit the limit in bytes
	 */
	public void handleOversizedFrame(long limit) {
		this.services.listeners().received(this.info);
		this.sequencer.inOrder(() -> answered(() -> fail(ReplyTo.NONE, new PikkuException(ChannelErrorCodes.TOO_LARGE,
				"Message is larger than " + limit + " bytes", Map.of("limit", limit)))));
	}

	/** Reports the step's action, outcome and duration to the listeners. */
	private CompletionStage<Void> answered(Supplier<CompletionStage<Void>> step) {
		Listeners listeners = this.services.listeners();
		if (listeners.isEmpty()) {
			return step.get();
		}
		Answer answer = this.answer;
		answer.start();
		CompletionStage<Void> stage = step.get();
		if (stage == DONE) {
			answer.report(listeners, this.info, null);
			return DONE;
		}
		return stage.whenComplete((ignored, failure) -> answer.report(listeners, this.info, failure));
	}

	private CompletionStage<Void> onText(String text) {
		RoutedFrame frame = this.router.route(text);
		switch (frame.kind()) {
			case TOO_LARGE:
				return fail(ReplyTo.NONE, new PikkuException(ChannelErrorCodes.TOO_LARGE, frame.detail()));
			case EMPTY:
				return fail(ReplyTo.NONE, invalidJson());
			case INVALID_JSON: {
				PikkuException limited = this.limiter.take(null);
				return fail(ReplyTo.NONE, (limited != null) ? limited : invalidJson());
			}
			case NOT_AN_OBJECT: {
				PikkuException limited = this.limiter.take(null);
				return (limited != null) ? fail(ReplyTo.NONE, limited) : onMessage(frame.input(), ReplyTo.NONE);
			}
			default:
				break;
		}
		ReplyTo replyTo = frame.replyTo();
		CompiledAction action = frame.action();
		PikkuException limited = this.limiter.take(action);
		if (limited != null) {
			return fail(replyTo, limited);
		}
		if (frame.correlationInvalid()) {
			String field = this.services.settings().correlationField();
			return fail(replyTo, new PikkuException(ChannelErrorCodes.VALIDATION_FAILED, "Invalid correlation id",
					java.util.List.of(Errors.detail(field, "must be a string or a number"))));
		}
		if (action != null) {
			return call(action, frame.input(), replyTo);
		}
		if (replyTo.routingProperty() != null) {
			return fail(replyTo, new PikkuException(ChannelErrorCodes.UNKNOWN_ACTION,
					"Unknown " + replyTo.routingProperty() + " '" + describe(replyTo.routingValue()) + "'"));
		}
		return onMessage(frame.input(), replyTo);
	}

	private static PikkuException invalidJson() {
		return new PikkuException(ChannelErrorCodes.INVALID_JSON, "Message is not valid JSON");
	}

	private static String describe(@Nullable JsonNode value) {
		if (value == null) {
			return "";
		}
		String text = value.isString() ? value.stringValue() : value.toString();
		if (text.length() <= 64) {
			return text;
		}
		// Never cut a surrogate pair in half: the half could not be written as UTF-8.
		int end = Character.isHighSurrogate(text.charAt(63)) ? 63 : 64;
		return text.substring(0, end) + "...";
	}

	/** A frame with no routing property: the default handler, if there is one. */
	private CompletionStage<Void> onMessage(CallInput input, ReplyTo replyTo) {
		CompiledAction onMessage = this.channel.defaultAction;
		if (onMessage == null) {
			return fail(replyTo, new PikkuException(ChannelErrorCodes.UNKNOWN_ACTION,
					"Message names no action: send one of " + this.channel.routingProperties));
		}
		return call(onMessage, input, replyTo);
	}

	private CompletionStage<Void> call(CompiledAction action, CallInput input, ReplyTo replyTo) {
		this.answer.action(action.listenerName());
		if (action.mayBlock() && this.sequencer.hops()) {
			return this.sequencer.mayBlock(() -> callHere(action, input, replyTo)).exceptionally((ex) -> {
				fail(replyTo, action, ex);
				return null;
			});
		}
		return callHere(action, input, replyTo);
	}

	private CompletionStage<Void> callHere(CompiledAction action, CallInput input, ReplyTo replyTo) {
		try {
			CallContext context = context(
					(action.name() != null) ? PikkuMiddleware.Kind.ACTION : PikkuMiddleware.Kind.MESSAGE, action.name(),
					input);
			Object result = this.invoker.call(action, context, input, replyTo);
			if (result instanceof CompletionStage<?> stage) {
				return stage.handle((value, ex) -> {
					if (ex != null) {
						fail(replyTo, action, ex);
						return (Void) null;
					}
					try {
						reply(action, replyTo, value);
					}
					catch (Throwable replyFailure) {
						fail(replyTo, action, replyFailure);
					}
					return (Void) null;
				});
			}
			reply(action, replyTo, result);
			return DONE;
		}
		catch (Throwable ex) {
			return fail(replyTo, action, ex);
		}
	}

	private void reply(CompiledAction action, ReplyTo replyTo, @Nullable Object result) {
		ReplyWriter replies = this.services.replies();
		if (action.name() == null) {
			if (result != null) {
				sendQuietly(replies.defaultReply(replyTo, result));
			}
			return;
		}
		if (result != null && !(result instanceof JsonNode) && this.channel.channelMiddleware.isEmpty()) {
			String text = replies.replyText(replyTo, result);
			if (text != null) {
				try {
					this.outbound.sendJson(text);
				}
				catch (ChannelClosedException ex) {
					logger.debug("Reply dropped: connection {} closed", this.id);
				}
				return;
			}
		}
		sendQuietly(replies.replyTree(replyTo, result));
	}

	@SuppressWarnings("unchecked")
	private CompletionStage<Void> onBinary(ByteBuffer data) {
		BinaryHandler<Object> onBinary = (BinaryHandler<Object>) this.channel.definition.onBinary();
		if (onBinary != null && this.sequencer.hops()) {
			return this.sequencer.mayBlock(() -> onBinaryHere(onBinary, data)).exceptionally((ex) -> {
				afterBinary(null, ex);
				return null;
			});
		}
		return onBinaryHere(onBinary, data);
	}

	private CompletionStage<Void> onBinaryHere(@Nullable BinaryHandler<Object> onBinary, ByteBuffer data) {
		if (onBinary != null) {
			this.answer.action("onBinary");
		}
		PikkuException limited = this.limiter.take(null);
		if (limited != null) {
			return fail(ReplyTo.NONE, limited);
		}
		if (onBinary == null) {
			return fail(ReplyTo.NONE, new PikkuException(ChannelErrorCodes.UNSUPPORTED_FRAME,
					"Channel '" + name() + "' accepts text frames only"));
		}
		try {
			Object result = this.invoker.onBinary(onBinary, data, context(PikkuMiddleware.Kind.MESSAGE, null, null),
					this.channel.channelAuth);
			if (result instanceof CompletionStage<?> stage) {
				return stage.handle((value, ex) -> {
					try {
						afterBinary(value, ex);
					}
					catch (Throwable replyFailure) {
						afterBinary(null, replyFailure);
					}
					return (Void) null;
				});
			}
			afterBinary(result, null);
		}
		catch (Throwable ex) {
			// the handler failed, or its result could not be written
			afterBinary(null, ex);
		}
		return DONE;
	}

	private void afterBinary(@Nullable Object result, @Nullable Throwable failure) {
		if (failure != null) {
			sendError(ReplyTo.NONE, clientError(Errors.unwrap(failure), "onBinary"));
		}
		else if (result instanceof byte[] bytes) {
			sendBinaryQuietly(ByteBuffer.wrap(bytes));
		}
		else if (result instanceof ByteBuffer buffer) {
			sendBinaryQuietly(buffer);
		}
		else if (result != null) {
			sendQuietly(this.services.tree(result));
		}
	}

	// Errors and sends

	private CompletionStage<Void> fail(ReplyTo replyTo, PikkuException error) {
		sendError(replyTo, error);
		return DONE;
	}

	private CompletionStage<Void> fail(ReplyTo replyTo, CompiledAction action, Throwable failure) {
		sendError(replyTo, clientError(Errors.unwrap(failure), action.label()));
		return DONE;
	}

	private PikkuException clientError(Throwable cause, String where) {
		PikkuException error = this.services.clientError(cause);
		if (error != null) {
			return error;
		}
		if (cause instanceof ChannelClosedException) {
			logger.debug("Channel '{}' {}: connection {} closed meanwhile", name(), where, this.id);
			return new PikkuException(ChannelErrorCodes.INTERNAL, "Internal error");
		}
		logger.error("Channel '{}' {} failed on connection {}", name(), where, this.id, cause);
		return new PikkuException(ChannelErrorCodes.INTERNAL, "Internal error");
	}

	private void sendError(ReplyTo replyTo, PikkuException error) {
		sendErrorFrame(replyTo, error);
		if (this.services.settings().closeOnError()) {
			this.outbound.close(1008, error.getCode());
		}
	}

	private void sendErrorFrame(ReplyTo replyTo, PikkuException error) {
		this.answer.outcome(error.getCode());
		this.services.listeners().failed(this.info, error.getCode());
		this.outbound.writeQuietly(this.services.replies().error(replyTo, error), "Error reply");
	}

	/** Sends a reply; a connection that closed meanwhile just misses it. */
	private void sendQuietly(JsonNode message) {
		try {
			this.outbound.send(message);
		}
		catch (ChannelClosedException ex) {
			logger.debug("Reply dropped: connection {} closed", this.id);
		}
	}

	private void sendBinaryQuietly(ByteBuffer data) {
		try {
			this.outbound.sendBinary(data);
		}
		catch (ChannelClosedException ex) {
			logger.debug("Reply dropped: connection {} closed", this.id);
		}
	}

	/**
	 * Delivers an EventHub message to this connection.
	 * @param delivery the message
	 * @return {@code false} if the connection is closed
	 */
	boolean deliver(Delivery delivery) {
		return this.outbound.deliver(delivery);
	}

	private CallContext context(PikkuMiddleware.Kind kind, @Nullable String action, @Nullable CallInput input) {
		return new CallContext(this, kind, action, input);
	}

	@Override
	public String toString() {
		return "OpenChannel[" + name() + " " + this.id + "]";
	}

	/**
	 * What the listeners are told of the frame being answered: its action, outcome and
	 * duration. Reused from frame to frame: the action and outcome are written only when
	 * they change (a reference stored into this long-lived object costs the garbage
	 * collector a card to scan), and frame numbers say whether they are the current
	 * frame's.
	 */
	private static final class Answer {

		private long frame;

		private long start;

		private String action = ChannelListener.UNKNOWN_ACTION;

		private long actionFrame;

		private String outcome = ChannelListener.SUCCESS;

		private long outcomeFrame;

		void start() {
			this.frame++;
			this.start = System.nanoTime();
		}

		void action(String name) {
			if (this.action != name) {
				this.action = name;
			}
			this.actionFrame = this.frame;
		}

		void outcome(String code) {
			if (this.outcome != code) {
				this.outcome = code;
			}
			this.outcomeFrame = this.frame;
		}

		void report(ChannelListener listeners, ConnectionInfo connection, @Nullable Throwable failure) {
			String action = (this.actionFrame == this.frame) ? this.action : ChannelListener.UNKNOWN_ACTION;
			String outcome = (failure != null) ? ChannelErrorCodes.INTERNAL
					: (this.outcomeFrame == this.frame) ? this.outcome : ChannelListener.SUCCESS;
			listeners.called(connection, action, outcome, System.nanoTime() - this.start);
		}

	}

	private final class Info implements ConnectionInfo {

		@Override
		public String channelId() {
			return OpenChannel.this.id;
		}

		@Override
		public String channelName() {
			return OpenChannel.this.name();
		}

		@Override
		public Object openingData() {
			return OpenChannel.this.openingData;
		}

		@Override
		public @Nullable PikkuSession session() {
			return OpenChannel.this.session;
		}

		@Override
		public ChannelState state() {
			return OpenChannel.this.outbound.state();
		}

		@Override
		public String toString() {
			return OpenChannel.this.toString();
		}

	}

}
