package io.pikku.channel.runtime;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.pikku.channel.BinaryHandler;
import io.pikku.channel.ChannelMiddleware;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.ChannelContext;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.ChannelState;
import io.pikku.channel.ConnectHandler;
import io.pikku.channel.DisconnectHandler;
import io.pikku.channel.FunctionHandler;
import io.pikku.channel.PikkuChannel;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import io.pikku.store.ChannelRecord;
import io.pikku.eventhub.Delivery;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One open connection to a channel, driven by its transport.
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

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final ChannelRuntime runtime;

	private final CompiledChannel channel;

	private final String id;

	private final Object openingData;

	private final ChannelConnection connection;

	private final Api api = new Api();

	private final AtomicBoolean disconnected = new AtomicBoolean();

	private volatile @Nullable PikkuSession session;

	private volatile @Nullable Object state;

	private volatile ChannelState lifecycle = ChannelState.INITIAL;

	/**
	 * The last asynchronous step, which later frames wait for; set by the transport's
	 * thread only, read when the connection closes.
	 */
	private volatile CompletableFuture<Void> pending = DONE;

	/** The connection's rate limit, or {@code null} for none. */
	private final @Nullable Bucket bucket;

	/** Buckets of the actions with their own rate limit, made when first called. */
	private final Map<String, Bucket> actionBuckets = new java.util.concurrent.ConcurrentHashMap<>();

	/** The frame being answered, for listeners; one at a time, like the frames. */
	private volatile @Nullable Call call;

	OpenChannel(ChannelRuntime runtime, CompiledChannel channel, String id, Object openingData,
			@Nullable PikkuSession session, ChannelConnection connection) {
		this.runtime = runtime;
		this.channel = channel;
		this.id = id;
		this.openingData = openingData;
		this.session = session;
		this.connection = connection;
		this.bucket = bucket(runtime.settings().rateLimit());
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
		return this.api;
	}

	void connect() {
		this.lifecycle = ChannelState.OPEN;
		PikkuSession current = this.session;
		record(this.runtime.channelStore()
			.add(new ChannelRecord(this.id, name(), this.runtime.tree(this.openingData),
					(current != null) ? current.userId() : null, sessionTree(current), null)),
				"record");
		@SuppressWarnings("unchecked")
		ConnectHandler<Object> onConnect = (ConnectHandler<Object>) this.channel.definition.onConnect();
		if (onConnect == null && this.channel.lifecycleMiddleware.isEmpty()) {
			return;
		}
		CompletableFuture<Void> connected = mayBlock(() -> onConnect(onConnect)).exceptionally((ex) -> {
			afterConnect(null, ex);
			return null;
		}).toCompletableFuture();
		if (!connected.isDone()) {
			this.pending = connected;
		}
	}

	private CompletionStage<Void> onConnect(@Nullable ConnectHandler<Object> onConnect) {
		try {
			Context context = new Context(PikkuMiddleware.Kind.CONNECT, null, null);
			Object result = invoke(this.channel.lifecycleMiddleware, context, () -> (onConnect != null)
					? scoped(context, () -> this.runtime.resultAdapter().adapt(onConnect.onConnect(context))) : null);
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

	/**
	 * Runs a step that may block: on the connection's executor for blocking work if it
	 * has one, else here.
	 */
	private CompletionStage<Void> mayBlock(Supplier<CompletionStage<Void>> step) {
		Executor executor = this.connection.blockingExecutor();
		if (executor == null) {
			return step.get();
		}
		try {
			return CompletableFuture.supplyAsync(step, executor).thenCompose((stage) -> stage);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void afterConnect(@Nullable Object result, @Nullable Throwable failure) {
		if (failure == null && result != null) {
			try {
				sendQuietly(this.runtime.tree(result));
			}
			catch (Throwable writeFailure) {
				failure = writeFailure;
			}
		}
		if (failure == null) {
			return;
		}
		PikkuException error = clientError(Errors.unwrap(failure), "onConnect");
		sendErrorFrame(Frame.NONE, error);
		closeConnection(ChannelErrorCodes.INTERNAL.equals(error.getCode()) ? 1011 : 1008, error.getCode());
	}

	/**
	 * Handles a text frame.
	 * @param text the frame
	 * @return completes when the frame has been answered
	 */
	public CompletionStage<Void> handleText(String text) {
		this.runtime.listeners().received(this);
		return inOrder(() -> tracked(() -> onText(text)));
	}

	/**
	 * Handles a binary frame.
	 * @param data the frame
	 * @return completes when the frame has been answered
	 */
	public CompletionStage<Void> handleBinary(ByteBuffer data) {
		this.runtime.listeners().received(this);
		return inOrder(() -> tracked(() -> onBinary(data)));
	}

	/**
	 * Answers a frame that the transport dropped for being larger than the limit.
	 * @param limit the limit in bytes
	 */
	public void handleOversizedFrame(long limit) {
		this.runtime.listeners().received(this);
		inOrder(() -> tracked(() -> {
			sendError(Frame.NONE, new PikkuException(ChannelErrorCodes.TOO_LARGE,
					"Message is larger than " + limit + " bytes", Map.of("limit", limit)));
			return DONE;
		}));
	}

	/**
	 * Tells the channel that its connection has closed: runs {@code onDisconnect} once,
	 * whoever closed it.
	 */
	public void handleClosed() {
		if (!this.disconnected.compareAndSet(false, true)) {
			return;
		}
		this.lifecycle = ChannelState.CLOSED;
		this.runtime.closed(this);
		this.runtime.listeners().closed(this);
		CompletableFuture<Void> inFlight = this.pending;
		if (inFlight.isDone()) {
			cleanUp();
		}
		else {
			// onConnect or a call still running (e.g. on a worker thread) may yet
			// subscribe or record: leave topics and the store after it.
			this.runtime.track(inFlight.handle((ignored, failure) -> (Void) null).thenCompose((ignored) -> cleanUp()));
		}
	}

	/**
	 * Leaves every topic and the channel store, and runs {@code onDisconnect}.
	 * @return completes when done; tracked, so that a graceful shutdown waits for it
	 */
	private CompletionStage<Void> cleanUp() {
		CompletionStage<Void> unsubscribed = record(this.runtime.hub().channelClosed(this.id), "unsubscribe");
		CompletionStage<Void> forgotten = record(this.runtime.channelStore().remove(this.id), "forget");
		CompletionStage<Void> disconnected = DONE;
		@SuppressWarnings("unchecked")
		DisconnectHandler<Object> onDisconnect = (DisconnectHandler<Object>) this.channel.definition.onDisconnect();
		if (onDisconnect != null || !this.channel.lifecycleMiddleware.isEmpty()) {
			disconnected = this.runtime.track(mayBlock(() -> onDisconnect(onDisconnect)).exceptionally((ex) -> {
				onDisconnect(onDisconnect);
				return null;
			}));
		}
		return CompletableFuture.allOf(quiet(unsubscribed), quiet(forgotten), quiet(disconnected));
	}

	private static CompletableFuture<Void> quiet(CompletionStage<Void> stage) {
		return stage.toCompletableFuture().handle((ignored, failure) -> null);
	}

	private CompletionStage<Void> onDisconnect(@Nullable DisconnectHandler<Object> onDisconnect) {
		try {
			Context context = new Context(PikkuMiddleware.Kind.DISCONNECT, null, null);
			invoke(this.channel.lifecycleMiddleware, context, () -> {
				if (onDisconnect != null) {
					scoped(context, () -> {
						onDisconnect.onDisconnect(context);
						return null;
					});
				}
				return null;
			});
		}
		catch (Throwable ex) {
			logger.error("onDisconnect of channel '{}' failed for connection {}", name(), this.id, ex);
		}
		return DONE;
	}

	/** Reports the step's action, outcome and duration to the listeners. */
	private CompletionStage<Void> tracked(Supplier<CompletionStage<Void>> step) {
		Listeners listeners = this.runtime.listeners();
		if (listeners.isEmpty()) {
			return step.get();
		}
		Call call = new Call(System.nanoTime());
		this.call = call;
		CompletionStage<Void> stage = step.get();
		return stage.whenComplete((ignored, failure) -> listeners.called(this, call.action,
				(failure != null) ? ChannelErrorCodes.INTERNAL : call.outcome, System.nanoTime() - call.start));
	}

	private CompletionStage<Void> inOrder(Supplier<CompletionStage<Void>> step) {
		CompletableFuture<Void> previous = this.pending;
		if (previous.isDone()) {
			CompletableFuture<Void> result = step.get().toCompletableFuture();
			if (!result.isDone()) {
				this.pending = result;
			}
			return result;
		}
		// A step that failed must not hold up the frames after it.
		CompletableFuture<Void> next = previous.handle((ignored, failure) -> (Void) null)
			.thenCompose((ignored) -> step.get());
		this.pending = next;
		return next;
	}

	private CompletionStage<Void> onText(String text) {
		JsonNode frame;
		try {
			frame = this.runtime.mapper().readTree(text);
		}
		catch (StreamConstraintsException ex) {
			return fail(Frame.NONE, new PikkuException(ChannelErrorCodes.TOO_LARGE,
					"Message exceeds the JSON limits: " + ex.getOriginalMessage()));
		}
		catch (JacksonException ex) {
			PikkuException limited = overLimit(null);
			return fail(Frame.NONE, (limited != null) ? limited
					: new PikkuException(ChannelErrorCodes.INVALID_JSON, "Message is not valid JSON"));
		}
		if (frame == null || frame.isMissingNode()) {
			return fail(Frame.NONE, new PikkuException(ChannelErrorCodes.INVALID_JSON, "Message is not valid JSON"));
		}
		if (!(frame instanceof ObjectNode object)) {
			PikkuException limited = overLimit(null);
			return (limited != null) ? fail(Frame.NONE, limited) : route(null, frame, Frame.NONE);
		}
		String correlationField = this.runtime.settings().correlationField();
		JsonNode correlation = object.remove(correlationField);
		JsonNode validCorrelation = validCorrelation(correlation);
		String matchedProperty = null;
		JsonNode matchedValue = null;
		CompiledAction action = null;
		for (String property : this.channel.routingProperties) {
			JsonNode value = object.get(property);
			if (value == null) {
				continue;
			}
			action = value.isString() ? this.channel.actions.get(property).get(value.stringValue()) : null;
			if (action != null || matchedProperty == null) {
				matchedProperty = property;
				matchedValue = value;
			}
			if (action != null) {
				break;
			}
		}
		Frame reply = new Frame(matchedProperty, matchedValue, validCorrelation);
		PikkuException limited = overLimit(action);
		if (limited != null) {
			return fail(reply, limited);
		}
		if (correlation != null && validCorrelation == null) {
			return fail(reply, new PikkuException(ChannelErrorCodes.VALIDATION_FAILED, "Invalid correlation id",
					List.of(Errors.detail(correlationField, "must be a string or a number"))));
		}
		if (action != null) {
			object.remove(matchedProperty);
			return call(action, object, reply);
		}
		if (matchedProperty != null) {
			return fail(reply, new PikkuException(ChannelErrorCodes.UNKNOWN_ACTION,
					"Unknown " + matchedProperty + " '" + describe(matchedValue) + "'"));
		}
		return route(null, object, reply);
	}

	private static @Nullable JsonNode validCorrelation(@Nullable JsonNode correlation) {
		return (correlation != null && (correlation.isString() || correlation.isNumber())) ? correlation : null;
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

	private CompletionStage<Void> route(@Nullable CompiledAction action, JsonNode input, Frame frame) {
		if (action != null) {
			return call(action, input, frame);
		}
		CompiledAction onMessage = this.channel.defaultAction;
		if (onMessage == null) {
			return fail(frame, new PikkuException(ChannelErrorCodes.UNKNOWN_ACTION,
					"Message names no action: send one of " + this.channel.routingProperties));
		}
		return call(onMessage, input, frame);
	}

	private CompletionStage<Void> call(CompiledAction action, JsonNode json, Frame frame) {
		Call call = this.call;
		if (call != null) {
			call.action = (action.name() != null) ? action.name() : "onMessage";
		}
		if (action.mayBlock() && this.connection.blockingExecutor() != null) {
			return mayBlock(() -> callHere(action, json, frame)).exceptionally((ex) -> {
				fail(frame, action, ex);
				return null;
			});
		}
		return callHere(action, json, frame);
	}

	private CompletionStage<Void> callHere(CompiledAction action, JsonNode json, Frame frame) {
		try {
			Context context = new Context(
					(action.name() != null) ? PikkuMiddleware.Kind.ACTION : PikkuMiddleware.Kind.MESSAGE, action.name(),
					json);
			Object result;
			try (Mdc mdc = Mdc.put(name(), this.id, (action.name() != null) ? action.name() : "onMessage",
					frame.correlation(), this.session)) {
				result = invoke(action.middleware(), context, () -> run(action, json, context));
			}
			if (result instanceof CompletionStage<?> stage) {
				return stage.handle((value, ex) -> {
					if (ex != null) {
						fail(frame, action, ex);
						return (Void) null;
					}
					try {
						reply(action, frame, value);
					}
					catch (Throwable replyFailure) {
						fail(frame, action, replyFailure);
					}
					return (Void) null;
				});
			}
			reply(action, frame, result);
			return DONE;
		}
		catch (Throwable ex) {
			return fail(frame, action, ex);
		}
	}

	/**
	 * Takes one frame from the action's own bucket, or the connection's.
	 * @return the error to answer if over the limit, or {@code null}
	 */
	private @Nullable PikkuException overLimit(@Nullable CompiledAction action) {
		Bucket bucket;
		if (action != null && action.rateLimit() != null) {
			bucket = this.actionBuckets.computeIfAbsent(action.routingProperty() + ":" + action.name(),
					(key) -> bucket(action.rateLimit()));
		}
		else {
			bucket = this.bucket;
		}
		if (bucket == null) {
			return null;
		}
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return null;
		}
		long retryAfterMs = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999) / 1_000_000);
		return new PikkuException(ChannelErrorCodes.RATE_LIMITED, "Too many messages: retry in " + retryAfterMs + " ms",
				Map.of("retryAfterMs", retryAfterMs));
	}

	static @Nullable Bucket bucket(@Nullable RateLimit limit) {
		if (limit == null) {
			return null;
		}
		return Bucket.builder()
			.addLimit(Bandwidth.builder()
				.capacity(limit.burst())
				.refillGreedy(limit.messagesPerSecond(), Duration.ofSeconds(1))
				.build())
			.build();
	}

	/**
	 * Auth check, input binding, permissions, validation, function: what middleware
	 * wraps.
	 */
	@SuppressWarnings("unchecked")
	private @Nullable Object run(CompiledAction action, JsonNode json, Context context) throws Exception {
		if (action.auth()) {
			requireLiveSession();
		}
		Object input = bind(action, json);
		FunctionHandler<Object, Object> handler = (FunctionHandler<Object, Object>) action.function().handler();
		return scoped(context, () -> {
			if (!action.permissions().allows(input, context)) {
				throw PikkuException.forbidden("Not allowed");
			}
			validate(input);
			return this.runtime.resultAdapter().adapt(handler.handle(input, context));
		});
	}

	private void requireLiveSession() {
		PikkuSession session = this.session;
		if (session == null) {
			throw PikkuException.unauthorized("Authentication required");
		}
		if (session.isExpired(java.time.Instant.now())) {
			throw PikkuException.unauthorized("Session expired: authenticate again");
		}
	}

	private static @Nullable Object invoke(List<PikkuMiddleware> chain, Context context, PikkuMiddleware.Next last)
			throws Exception {
		return (chain.isEmpty()) ? last.proceed() : invoke(chain, 0, context, last);
	}

	private static @Nullable Object invoke(List<PikkuMiddleware> chain, int index, Context context,
			PikkuMiddleware.Next last) throws Exception {
		if (index == chain.size()) {
			return last.proceed();
		}
		return chain.get(index).handle(context, () -> invoke(chain, index + 1, context, last));
	}

	private @Nullable Object scoped(Context context, PikkuMiddleware.Next work) throws Exception {
		try (CallScope.Scope scope = this.runtime.callScope().enter(context)) {
			return work.proceed();
		}
	}

	private @Nullable Object bind(CompiledAction action, JsonNode json) {
		if (action.inputType() == null) {
			return null;
		}
		if (action.inputType().getRawClass() == JsonNode.class
				|| action.inputType().getRawClass().isInstance(json) && action.name() == null) {
			return json;
		}
		try {
			return this.runtime.mapper().treeToValue(json, action.inputType());
		}
		catch (JacksonException ex) {
			throw Errors.bindingFailed("Invalid input", ex);
		}
	}

	private void validate(@Nullable Object input) {
		Validator validator = this.runtime.validator();
		if (validator == null || input == null || input instanceof JsonNode) {
			return;
		}
		Set<ConstraintViolation<Object>> violations = validator.validate(input);
		if (!violations.isEmpty()) {
			throw Errors.validationFailed("Invalid input", violations);
		}
	}

	private void reply(CompiledAction action, Frame frame, @Nullable Object result) {
		if (action.name() == null) {
			if (result == null) {
				return;
			}
			JsonNode tree = this.runtime.tree(result);
			if (tree instanceof ObjectNode object && frame.correlation() != null) {
				object.set(this.runtime.settings().correlationField(), frame.correlation());
			}
			sendQuietly(tree);
			return;
		}
		if (result != null && !(result instanceof JsonNode) && this.channel.channelMiddleware.isEmpty()) {
			String text = splicedReply(frame, result);
			if (text != null) {
				sendTextQuietly(text);
				return;
			}
		}
		ObjectNode reply = this.runtime.mapper().createObjectNode();
		reply.set(frame.routingProperty(), frame.routingValue());
		if (frame.correlation() != null) {
			reply.set(this.runtime.settings().correlationField(), frame.correlation());
		}
		if (result != null) {
			JsonNode tree = this.runtime.tree(result);
			if (tree instanceof ObjectNode object) {
				for (Map.Entry<String, JsonNode> field : object.properties()) {
					if (!reply.has(field.getKey())) {
						reply.set(field.getKey(), field.getValue());
					}
				}
			}
			else if (!tree.isNull()) {
				reply.set("result", tree);
			}
		}
		sendQuietly(reply);
	}

	/**
	 * The reply written straight from the result's JSON, without building a tree: the
	 * routing property (and correlation) spliced in front of the result's own fields.
	 * {@code null} when that would differ from the tree-built reply: the result is not an
	 * object, or may carry a field of the same name (which the reply's own must win).
	 */
	private @Nullable String splicedReply(Frame frame, Object result) {
		String json = this.runtime.mapper().writeValueAsString(result);
		if (json.length() < 2 || json.charAt(0) != '{') {
			return null;
		}
		String routing = frame.routingProperty();
		String correlationField = this.runtime.settings().correlationField();
		if (json.contains("\"" + routing + "\"")
				|| (frame.correlation() != null && json.contains("\"" + correlationField + "\""))) {
			return null;
		}
		StringBuilder reply = new StringBuilder(json.length() + 64).append('{');
		appendQuoted(reply, routing).append(':');
		appendJson(reply, frame.routingValue());
		JsonNode correlation = frame.correlation();
		if (correlation != null) {
			appendQuoted(reply.append(','), correlationField).append(':');
			appendJson(reply, correlation);
		}
		if (json.length() > 2) {
			reply.append(',').append(json, 1, json.length());
		}
		else {
			reply.append('}');
		}
		return reply.toString();
	}

	private CompletionStage<Void> fail(Frame frame, PikkuException error) {
		sendError(frame, error);
		return DONE;
	}

	private CompletionStage<Void> fail(Frame frame, CompiledAction action, Throwable failure) {
		sendError(frame, clientError(Errors.unwrap(failure), action.label()));
		return DONE;
	}

	private PikkuException clientError(Throwable cause, String where) {
		PikkuException error = this.runtime.clientError(cause);
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

	private void sendError(Frame frame, PikkuException error) {
		sendErrorFrame(frame, error);
		if (this.runtime.settings().closeOnError()) {
			closeConnection(1008, error.getCode());
		}
	}

	private void sendErrorFrame(Frame frame, PikkuException error) {
		Call call = this.call;
		if (call != null) {
			call.outcome = error.getCode();
		}
		this.runtime.listeners().failed(this, error.getCode());
		ObjectNode reply = this.runtime.mapper().createObjectNode();
		if (frame.routingProperty() != null) {
			reply.set(frame.routingProperty(), frame.routingValue());
		}
		if (frame.correlation() != null) {
			reply.set(this.runtime.settings().correlationField(), frame.correlation());
		}
		reply.set("error", this.runtime.errorNode(error));
		try {
			if (this.lifecycle == ChannelState.OPEN) {
				write(this.runtime.mapper().writeValueAsString(reply));
			}
		}
		catch (ChannelClosedException ex) {
			logger.debug("Error reply dropped: connection {} closed", this.id);
		}
	}

	private CompletionStage<Void> onBinary(ByteBuffer data) {
		if (this.connection.blockingExecutor() != null && this.channel.definition.onBinary() != null) {
			return mayBlock(() -> onBinaryHere(data)).exceptionally((ex) -> {
				afterBinary(null, ex);
				return null;
			});
		}
		return onBinaryHere(data);
	}

	private CompletionStage<Void> onBinaryHere(ByteBuffer data) {
		@SuppressWarnings("unchecked")
		BinaryHandler<Object> onBinary = (BinaryHandler<Object>) this.channel.definition.onBinary();
		Call call = this.call;
		if (onBinary != null && call != null) {
			call.action = "onBinary";
		}
		PikkuException limited = overLimit(null);
		if (limited != null) {
			return fail(Frame.NONE, limited);
		}
		if (onBinary == null) {
			return fail(Frame.NONE, new PikkuException(ChannelErrorCodes.UNSUPPORTED_FRAME,
					"Channel '" + name() + "' accepts text frames only"));
		}
		try {
			if (this.channel.channelAuth) {
				requireLiveSession();
			}
			Context context = new Context(PikkuMiddleware.Kind.MESSAGE, null, null);
			Object result = scoped(context, () -> this.runtime.resultAdapter().adapt(onBinary.onBinary(data, context)));
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
			sendError(Frame.NONE, clientError(Errors.unwrap(failure), "onBinary"));
		}
		else if (result instanceof byte[] bytes) {
			sendBinaryQuietly(ByteBuffer.wrap(bytes));
		}
		else if (result instanceof ByteBuffer buffer) {
			sendBinaryQuietly(buffer);
		}
		else if (result != null) {
			sendQuietly(this.runtime.tree(result));
		}
	}

	/** Sends a reply; a connection that closed meanwhile just misses it. */
	private void sendQuietly(JsonNode message) {
		try {
			this.api.send(message);
		}
		catch (ChannelClosedException ex) {
			logger.debug("Reply dropped: connection {} closed", this.id);
		}
	}

	private static StringBuilder appendQuoted(StringBuilder json, String text) {
		json.append('"');
		JsonStringEncoder.getInstance().quoteAsString(text, json);
		return json.append('"');
	}

	/** Appends a routing value or correlation id: a string, a number or a boolean. */
	private void appendJson(StringBuilder json, JsonNode value) {
		if (value.isString()) {
			appendQuoted(json, value.stringValue());
		}
		else if (value.isIntegralNumber() && value.canConvertToLong()) {
			json.append(value.longValue());
		}
		else {
			json.append(this.runtime.mapper().writeValueAsString(value));
		}
	}

	/** Hands JSON text to the connection and counts it as sent. */
	private void write(String json) {
		this.connection.sendText(json);
		this.runtime.listeners().sent(this);
	}

	private void sendTextQuietly(String json) {
		try {
			this.api.sendJson(json);
		}
		catch (ChannelClosedException ex) {
			logger.debug("Reply dropped: connection {} closed", this.id);
		}
	}

	private void sendBinaryQuietly(ByteBuffer data) {
		try {
			this.api.sendBinary(data);
		}
		catch (ChannelClosedException ex) {
			logger.debug("Reply dropped: connection {} closed", this.id);
		}
	}

	private void closeConnection(int code, @Nullable String reason) {
		if (this.lifecycle != ChannelState.CLOSED) {
			this.lifecycle = ChannelState.CLOSED;
			this.connection.close(code, reason);
		}
	}

	/**
	 * Delivers an EventHub message to this connection.
	 * @param delivery the message
	 * @return {@code false} if the connection is closed
	 */
	boolean deliver(Delivery delivery) {
		if (this.lifecycle != ChannelState.OPEN) {
			return false;
		}
		try {
			if (this.channel.channelMiddleware.isEmpty()) {
				write(delivery.text());
			}
			else {
				sendThroughMiddleware(delivery.message().deepCopy());
			}
			return true;
		}
		catch (ChannelClosedException ex) {
			return false;
		}
	}

	private void sendThroughMiddleware(JsonNode message) {
		Context context = new Context(PikkuMiddleware.Kind.MESSAGE, null, null);
		try {
			outbound(0, message, context);
		}
		catch (ChannelClosedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			logger.error("Channel middleware of channel '{}' failed; message to connection {} dropped", name(), this.id,
					ex);
		}
	}

	private void outbound(int index, @Nullable Object message, Context context) throws Exception {
		if (message == null) {
			return;
		}
		if (message instanceof List<?> messages) {
			for (Object each : messages) {
				outbound(index, each, context);
			}
			return;
		}
		List<ChannelMiddleware> chain = this.channel.channelMiddleware;
		if (index == chain.size()) {
			write(this.runtime.mapper().writeValueAsString(message));
			return;
		}
		JsonNode tree = (message instanceof JsonNode node) ? node : this.runtime.tree(message);
		chain.get(index).handle(tree, context, (next) -> outbound(index + 1, next, context));
	}

	private @Nullable JsonNode sessionTree(@Nullable PikkuSession session) {
		if (session == null) {
			return null;
		}
		try {
			return this.runtime.tree(session);
		}
		catch (RuntimeException ex) {
			logger.debug("Session of connection {} is not writable as JSON; only its user id is stored", this.id);
			return null;
		}
	}

	private void sessionChanged(@Nullable PikkuSession session) {
		this.session = session;
		record(this.runtime.channelStore()
			.setSession(this.id, (session != null) ? session.userId() : null, sessionTree(session)), "record session");
	}

	private void stateChanged(@Nullable Object state) {
		this.state = state;
		JsonNode tree;
		try {
			tree = (state != null) ? this.runtime.tree(state) : null;
		}
		catch (RuntimeException ex) {
			logger.debug("State of connection {} is not writable as JSON; kept in memory only", this.id);
			return;
		}
		record(this.runtime.channelStore().setState(this.id, tree), "record state");
	}

	private CompletionStage<Void> record(CompletionStage<Void> update, String what) {
		this.runtime.track(update).whenComplete((ignored, failure) -> {
			if (failure != null) {
				logger.warn("Could not {} connection {} of channel '{}'", what, this.id, name(), failure);
			}
		});
		return update;
	}

	@Override
	public String toString() {
		return "OpenChannel[" + name() + " " + this.id + "]";
	}

	/**
	 * What an error or reply echoes of the frame it answers.
	 */
	private record Frame(@Nullable String routingProperty, @Nullable JsonNode routingValue,
			@Nullable JsonNode correlation) {

		static final Frame NONE = new Frame(null, null, null);

	}

	/**
	 * What listeners are told of one frame.
	 */
	private static final class Call {

		final long start;

		volatile String action = ChannelListener.UNKNOWN_ACTION;

		volatile String outcome = ChannelListener.SUCCESS;

		Call(long start) {
			this.start = start;
		}

	}

	private final class Api implements PikkuChannel<Object> {

		@Override
		public String channelId() {
			return OpenChannel.this.id;
		}

		@Override
		public String name() {
			return OpenChannel.this.name();
		}

		@Override
		public Object openingData() {
			return OpenChannel.this.openingData;
		}

		@Override
		public void send(Object message) {
			if (OpenChannel.this.lifecycle != ChannelState.OPEN) {
				throw new ChannelClosedException(OpenChannel.this.id);
			}
			if (OpenChannel.this.channel.channelMiddleware.isEmpty()) {
				sendJson(OpenChannel.this.runtime.mapper().writeValueAsString(message));
			}
			else {
				sendThroughMiddleware(
						(message instanceof JsonNode node) ? node.deepCopy() : OpenChannel.this.runtime.tree(message));
			}
		}

		/** Sends JSON text as it is, past channel middleware. */
		void sendJson(String json) {
			if (OpenChannel.this.lifecycle != ChannelState.OPEN) {
				throw new ChannelClosedException(OpenChannel.this.id);
			}
			write(json);
		}

		@Override
		public void sendBinary(ByteBuffer data) {
			if (OpenChannel.this.lifecycle != ChannelState.OPEN) {
				throw new ChannelClosedException(OpenChannel.this.id);
			}
			OpenChannel.this.connection.sendBinary(data);
			OpenChannel.this.runtime.listeners().sent(OpenChannel.this);
		}

		@Override
		public void close(int code, @Nullable String reason) {
			closeConnection(code, reason);
		}

		@Override
		public ChannelState state() {
			return OpenChannel.this.lifecycle;
		}

		@Override
		public void setState(Object state) {
			stateChanged(state);
		}

		@Override
		public <T> @Nullable T getState(Class<T> type) {
			return type.cast(OpenChannel.this.state);
		}

		@Override
		public void clearState() {
			stateChanged(null);
		}

		@Override
		public String toString() {
			return OpenChannel.this.toString();
		}

	}

	private final class Context implements PikkuMiddleware.Call {

		private final PikkuMiddleware.Kind kind;

		private final @Nullable String action;

		private final @Nullable JsonNode input;

		Context(PikkuMiddleware.Kind kind, @Nullable String action, @Nullable JsonNode input) {
			this.kind = kind;
			this.action = action;
			this.input = input;
		}

		@Override
		public PikkuMiddleware.Kind kind() {
			return this.kind;
		}

		@Override
		public @Nullable JsonNode input() {
			return this.input;
		}

		@Override
		public PikkuChannel<Object> channel() {
			return OpenChannel.this.api;
		}

		@Override
		public @Nullable String action() {
			return this.action;
		}

		@Override
		public @Nullable PikkuSession session() {
			return OpenChannel.this.session;
		}

		@Override
		public void setSession(PikkuSession session) {
			sessionChanged(java.util.Objects.requireNonNull(session, "session"));
		}

		@Override
		public void clearSession() {
			sessionChanged(null);
		}

	}

}
