package io.pikku.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link PikkuConnection} on the JDK's {@link WebSocket}: one send in flight at a time
 * from a bounded queue, reads on demand, partial frames assembled.
 */
final class JdkPikkuConnection implements PikkuConnection {

	private static final Logger logger = LoggerFactory.getLogger(JdkPikkuConnection.class);

	/** Messages handed to handlers but not handled yet, before reading pauses. */
	private static final int READ_AHEAD = 32;

	/** Messages kept for the first {@link #onMessage} handler. */
	private static final int BACKLOG = 256;

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final ScheduledThreadPoolExecutor scheduler = scheduler();

	private final HttpClient http;

	private final URI uri;

	private final PikkuClient.Settings settings;

	private final JsonMapper mapper;

	private final Object lock = new Object();

	/** Frames waiting to be sent; guarded by {@link #lock}. */
	private final ArrayDeque<Outbound> queue = new ArrayDeque<>();

	/** Whether a frame is being sent; guarded by {@link #lock}. */
	private boolean writing;

	/** The socket calls are sent on, or {@code null} while lost; guarded by lock. */
	private @Nullable Reader current;

	private volatile State state = State.OPEN;

	/** Whether the client asked to close; guarded by {@link #lock}. */
	private boolean closing;

	private int attempts;

	private final Map<String, PendingCall<?>> pending = new ConcurrentHashMap<>();

	/** Ids of calls that timed out, so that a late reply is dropped quietly. */
	private final Set<String> expired = ConcurrentHashMap.newKeySet();

	private final AtomicLong ids = new AtomicLong();

	private final List<TopicHandler<?>> topicHandlers = new CopyOnWriteArrayList<>();

	private final List<Consumer<JsonNode>> messageHandlers = new CopyOnWriteArrayList<>();

	private final List<Function<PikkuConnection, ? extends CompletionStage<?>>> hooks = new CopyOnWriteArrayList<>();

	/** Messages that arrived before any message handler; null once one was added. */
	private @Nullable List<JsonNode> backlog = new ArrayList<>();

	private final Dispatcher dispatcher;

	private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

	private JdkPikkuConnection(HttpClient http, URI uri, PikkuClient.Settings settings) {
		this.http = http;
		this.uri = uri;
		this.settings = settings;
		this.mapper = settings.mapper();
		this.dispatcher = new Dispatcher();
	}

	static CompletableFuture<PikkuConnection> open(HttpClient http, URI uri, PikkuClient.Settings settings) {
		JdkPikkuConnection connection = new JdkPikkuConnection(http, uri, settings);
		Reader reader = connection.new Reader();
		return connection.openSocket(reader).thenApply((socket) -> {
			if (!connection.attach(reader)) {
				CloseStatus ended = reader.ended;
				connection.finish((ended != null) ? ended : new CloseStatus(-1, "closed while opening"));
			}
			return connection;
		});
	}

	private CompletableFuture<WebSocket> openSocket(Reader reader) {
		WebSocket.Builder builder = this.http.newWebSocketBuilder().connectTimeout(this.settings.connectTimeout());
		this.settings.headers().forEach(builder::header);
		URI target = this.uri;
		String token = (this.settings.token() != null) ? this.settings.token().get() : null;
		if (token != null) {
			if (this.settings.tokenInQuery()) {
				target = URI.create(this.uri + ((this.uri.getRawQuery() != null) ? "&" : "?") + "access_token="
						+ PikkuClient.encode(token));
			}
			else {
				builder.header("Authorization", "Bearer " + token);
			}
		}
		CompletableFuture<WebSocket> opening = builder.buildAsync(target, reader);
		CompletableFuture<WebSocket> result = new CompletableFuture<>();
		opening.whenComplete((socket, failure) -> {
			if (failure != null) {
				result.completeExceptionally(openingFailed(failure));
			}
			else if (!result.complete(socket)) {
				socket.abort();
			}
		});
		scheduler.schedule(
				() -> result.completeExceptionally(new PikkuClientException("Connecting to " + this.uri
						+ " timed out after " + this.settings.connectTimeout().toMillis() + " ms")),
				this.settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		return result;
	}

	private PikkuClientException openingFailed(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof WebSocketHandshakeException handshake) {
			Object body = handshake.getResponse().body();
			return new PikkuHandshakeException(this.uri, handshake.getResponse().statusCode(),
					(body instanceof String text) ? text : null, handshake);
		}
		if (cause instanceof HttpTimeoutException) {
			return new PikkuClientException("Connecting to " + this.uri + " timed out", cause);
		}
		if (cause instanceof IOException) {
			return new PikkuClientException("Could not connect to " + this.uri + ": " + cause, cause);
		}
		return new PikkuClientException("Could not connect to " + this.uri, cause);
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** Makes a freshly opened socket the one calls are sent on. */
	private boolean attach(Reader reader) {
		synchronized (this.lock) {
			if (reader.ended != null || this.closing) {
				return false;
			}
			this.current = reader;
			return true;
		}
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	@Override
	public URI uri() {
		return this.uri;
	}

	@Override
	public State state() {
		return this.state;
	}

	@Override
	public <T> CompletableFuture<T> call(String action, @Nullable Object input, Class<T> replyType) {
		return call(action, input, this.mapper.constructType(replyType));
	}

	@Override
	public <T> CompletableFuture<T> call(String action, @Nullable Object input, TypeReference<T> replyType) {
		return call(action, input, this.mapper.constructType(replyType));
	}

	@Override
	public CompletableFuture<JsonNode> call(String action, @Nullable Object input) {
		return call(action, input, JsonNode.class);
	}

	<T> CompletableFuture<T> call(String action, @Nullable Object input, JavaType replyType) {
		Objects.requireNonNull(action, "action");
		String id = Long.toString(this.ids.incrementAndGet());
		String frame = frame(action, input, id);
		PendingCall<T> call = new PendingCall<>(action, replyType);
		this.pending.put(id, call);
		call.timeout = scheduler.schedule(() -> timedOut(id, call), this.settings.callTimeout().toMillis(),
				TimeUnit.MILLISECONDS);
		call.future.whenComplete((reply, failure) -> {
			this.pending.remove(id, call);
			call.timeout.cancel(false);
		});
		send(frame).whenComplete((sent, failure) -> {
			if (failure != null) {
				call.future.completeExceptionally(unwrap(failure));
			}
		});
		return call.future;
	}

	private String frame(String action, @Nullable Object input, String id) {
		ObjectNode frame = this.mapper.createObjectNode();
		frame.put(this.settings.routingProperty(), action);
		if (input != null) {
			JsonNode tree = this.mapper.valueToTree(input);
			if (!(tree instanceof ObjectNode fields)) {
				throw new IllegalArgumentException(
						"The input of '" + action + "' must be written as a JSON object, not "
								+ tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " (" + tree + ")");
			}
			for (String reserved : List.of(this.settings.routingProperty(), this.settings.correlationField())) {
				if (fields.has(reserved)) {
					throw new IllegalArgumentException("The input of '" + action + "' has a field '" + reserved
							+ "', which the protocol uses itself");
				}
			}
			frame.setAll(fields);
		}
		frame.put(this.settings.correlationField(), id);
		return this.mapper.writeValueAsString(frame);
	}

	private void timedOut(String id, PendingCall<?> call) {
		if (this.pending.remove(id, call)) {
			if (this.expired.size() > 10_000) {
				this.expired.clear();
			}
			this.expired.add(id);
			call.future
				.completeExceptionally(new PikkuCallTimeoutException(call.action, id, this.settings.callTimeout()));
		}
	}

	@Override
	public <T> Registration onTopic(String topic, Class<T> type, Consumer<? super T> handler) {
		TopicHandler<T> registration = new TopicHandler<>(Objects.requireNonNull(topic, "topic"),
				Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
		this.topicHandlers.add(registration);
		return () -> this.topicHandlers.remove(registration);
	}

	@Override
	public Registration onMessage(Consumer<JsonNode> handler) {
		Objects.requireNonNull(handler, "handler");
		// on the dispatcher, so that the backlog is replayed in order, before what
		// follows
		this.dispatcher.enqueue(() -> {
			List<JsonNode> earlier = this.backlog;
			this.backlog = null;
			this.messageHandlers.add(handler);
			if (earlier != null) {
				earlier.forEach((message) -> handle(handler, message));
			}
		});
		return () -> this.dispatcher.enqueue(() -> this.messageHandlers.remove(handler));
	}

	@Override
	public Registration onReconnect(Function<PikkuConnection, ? extends CompletionStage<?>> hook) {
		Objects.requireNonNull(hook, "hook");
		this.hooks.add(hook);
		return () -> this.hooks.remove(hook);
	}

	@Override
	public CompletableFuture<Void> send(String text) {
		Objects.requireNonNull(text, "text");
		return enqueue(new Outbound(text, new CompletableFuture<>()));
	}

	private CompletableFuture<Void> enqueue(Outbound outbound) {
		Reader reader;
		synchronized (this.lock) {
			reader = this.current;
			if (reader == null || (this.closing && outbound.text != null)) {
				return CompletableFuture.failedFuture(new PikkuConnectionClosedException(
						"The connection to " + this.uri + " is " + describeState(), -1, null));
			}
			if (outbound.text != null && this.queue.size() >= this.settings.sendQueueLimit()) {
				return CompletableFuture.failedFuture(new PikkuSendQueueFullException(this.settings.sendQueueLimit()));
			}
			this.queue.add(outbound);
			if (this.writing) {
				return outbound.done;
			}
			this.writing = true;
		}
		write(reader);
		return outbound.done;
	}

	private String describeState() {
		return (this.state == State.RECONNECTING && !this.closing) ? "reconnecting" : "closed";
	}

	/** Writes the queue, one frame in flight at a time, in order. */
	private void write(Reader reader) {
		while (true) {
			Outbound next;
			synchronized (this.lock) {
				next = this.queue.poll();
				if (next == null || this.current != reader) {
					this.writing = false;
					if (next != null) {
						next.done.completeExceptionally(new PikkuConnectionClosedException(
								"The connection to " + this.uri + " was lost", -1, null));
					}
					return;
				}
			}
			CompletableFuture<WebSocket> sent;
			try {
				sent = (next.text != null) ? reader.socket.sendText(next.text, true)
						: reader.socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
			}
			catch (RuntimeException ex) {
				sent = CompletableFuture.failedFuture(ex);
			}
			if (sent.isDone()) {
				sent(next, sent);
				continue;
			}
			Outbound written = next;
			CompletableFuture<WebSocket> pending = sent;
			pending.whenComplete((socket, failure) -> {
				sent(written, pending);
				write(reader);
			});
			return;
		}
	}

	private void sent(Outbound outbound, CompletableFuture<WebSocket> sent) {
		try {
			sent.join();
			outbound.done.complete(null);
		}
		catch (CompletionException | java.util.concurrent.CancellationException ex) {
			outbound.done.completeExceptionally(
					new PikkuConnectionClosedException("Could not send to " + this.uri, -1, unwrap(ex)));
		}
	}

	@Override
	public CompletableFuture<Void> closeAsync() {
		Reader reader;
		synchronized (this.lock) {
			if (this.closing) {
				return this.closed.thenApply((status) -> null);
			}
			this.closing = true;
			reader = this.current;
		}
		if (reader == null) {
			finish(new CloseStatus(WebSocket.NORMAL_CLOSURE, "closed by the client"));
		}
		else {
			enqueue(new Outbound(null, new CompletableFuture<>()));
			scheduler.schedule(() -> {
				if (!this.closed.isDone()) {
					reader.socket.abort();
					lost(reader, -1, "the server did not answer the close", null);
				}
			}, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		return this.closed.thenApply((status) -> null);
	}

	@Override
	public CompletableFuture<CloseStatus> closed() {
		return this.closed;
	}

	@Override
	public void close() {
		try {
			closeAsync().get(CLOSE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Closing {} did not complete: {}", this.uri, ex.toString());
		}
	}

	/** The socket of a reader ended: fail what waited on it, then reconnect or finish. */
	private void lost(Reader reader, int code, String reason, @Nullable Throwable error) {
		boolean reconnect;
		List<Outbound> unsent;
		synchronized (this.lock) {
			if (reader.ended != null) {
				return;
			}
			reader.ended = new CloseStatus(code, reason);
			if (this.current != reader) {
				return;
			}
			this.current = null;
			unsent = new ArrayList<>(this.queue);
			this.queue.clear();
			this.writing = false;
			reconnect = !this.closing && this.settings.reconnectPolicy().enabled();
			this.state = reconnect ? State.RECONNECTING : State.CLOSED;
		}
		String ended = "The connection to " + this.uri + " was " + (this.closing ? "closed" : "lost") + " (" + code
				+ ((reason.isEmpty()) ? "" : " " + reason) + ")";
		for (Outbound outbound : unsent) {
			outbound.done.completeExceptionally(new PikkuConnectionClosedException(ended, code, error));
		}
		failPending(ended, code, error);
		if (reconnect) {
			logger.info("{}; reconnecting", ended);
			scheduleReconnect();
		}
		else {
			finish(new CloseStatus(code, reason));
		}
	}

	private void failPending(String ended, int code, @Nullable Throwable error) {
		for (Map.Entry<String, PendingCall<?>> entry : List.copyOf(this.pending.entrySet())) {
			if (this.pending.remove(entry.getKey(), entry.getValue())) {
				entry.getValue().future.completeExceptionally(new PikkuConnectionClosedException(
						ended + " before the reply to '" + entry.getValue().action + "'", code, error));
			}
		}
	}

	private void finish(CloseStatus status) {
		this.state = State.CLOSED;
		failPending("The connection to " + this.uri + " is closed", status.code(), null);
		this.closed.complete(status);
	}

	private void scheduleReconnect() {
		int attempt;
		synchronized (this.lock) {
			attempt = ++this.attempts;
		}
		ReconnectPolicy policy = this.settings.reconnectPolicy();
		if (attempt > policy.maxAttempts()) {
			logger.warn("Gave up reconnecting to {} after {} attempts", this.uri, policy.maxAttempts());
			finish(new CloseStatus(-1, "gave up reconnecting after " + policy.maxAttempts() + " attempts"));
			return;
		}
		scheduler.schedule(() -> reconnect(attempt), policy.delay(attempt).toMillis(), TimeUnit.MILLISECONDS);
	}

	private void reconnect(int attempt) {
		synchronized (this.lock) {
			if (this.closing) {
				finish(new CloseStatus(WebSocket.NORMAL_CLOSURE, "closed by the client"));
				return;
			}
		}
		Reader reader = new Reader();
		openSocket(reader).whenComplete((socket, failure) -> {
			if (failure != null) {
				Throwable cause = unwrap(failure);
				if (cause instanceof PikkuHandshakeException refused && refused.getStatus() >= 400
						&& refused.getStatus() < 500) {
					logger.warn("Stopped reconnecting: {}", refused.getMessage());
					finish(new CloseStatus(-1, refused.getMessage()));
				}
				else {
					logger.debug("Reconnect attempt {} to {} failed: {}", attempt, this.uri, cause.toString());
					scheduleReconnect();
				}
				return;
			}
			if (!attach(reader)) {
				socket.abort();
				if (this.closing) {
					finish(new CloseStatus(WebSocket.NORMAL_CLOSURE, "closed by the client"));
				}
				else {
					scheduleReconnect();
				}
				return;
			}
			runHooks(reader);
		});
	}

	private void runHooks(Reader reader) {
		CompletableFuture<?> done = CompletableFuture.completedFuture(null);
		for (Function<PikkuConnection, ? extends CompletionStage<?>> hook : this.hooks) {
			done = done.thenCompose((previous) -> hook.apply(this).thenApply((result) -> (Object) result));
		}
		done.whenComplete((ignored, failure) -> {
			if (failure != null) {
				logger.warn("A reconnect hook of {} failed; reconnecting again", this.uri, unwrap(failure));
				reader.socket.abort();
				lost(reader, -1, "a reconnect hook failed", unwrap(failure));
				return;
			}
			synchronized (this.lock) {
				if (this.current == reader) {
					this.attempts = 0;
					this.state = State.OPEN;
				}
			}
			logger.info("Reconnected to {}", this.uri);
		});
	}

	/** Routes a complete message: to its call, its topic's handlers or the others. */
	private int dispatch(String text) {
		JsonNode message;
		try {
			message = this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			message = this.mapper.getNodeFactory().stringNode(text);
		}
		if (message.isObject()) {
			JsonNode correlation = message.get(this.settings.correlationField());
			if (correlation != null && correlation.isValueNode()) {
				String id = correlation.asString();
				PendingCall<?> call = this.pending.remove(id);
				if (call != null) {
					JsonNode reply = message;
					this.settings.executor().execute(() -> call.complete(reply));
					return 0;
				}
				if (this.expired.remove(id)) {
					logger.debug("Dropped the late reply to call {} on {}", id, this.uri);
					return 0;
				}
			}
			JsonNode topic = message.get("topic");
			if (topic != null && topic.isString()) {
				List<TopicHandler<?>> handlers = this.topicHandlers.stream()
					.filter((handler) -> handler.topic.equals(topic.stringValue()))
					.toList();
				if (!handlers.isEmpty()) {
					JsonNode delivery = message;
					return this.dispatcher.enqueue(() -> handlers.forEach((handler) -> handler.handle(delivery)));
				}
			}
		}
		JsonNode other = message;
		return this.dispatcher.enqueue(() -> {
			List<JsonNode> waiting = this.backlog;
			if (waiting != null) {
				if (waiting.size() < BACKLOG) {
					waiting.add(other);
				}
				else {
					logger.debug("No message handler on {}: dropped {}", this.uri, other);
				}
				return;
			}
			this.messageHandlers.forEach((handler) -> handle(handler, other));
		});
	}

	private void handle(Consumer<JsonNode> handler, JsonNode message) {
		try {
			handler.accept(message);
		}
		catch (RuntimeException ex) {
			logger.warn("A message handler of {} failed", this.uri, ex);
		}
	}

	@Override
	public String toString() {
		return "PikkuConnection[" + this.uri + " " + this.state + "]";
	}

	private static ScheduledThreadPoolExecutor scheduler() {
		AtomicInteger count = new AtomicInteger();
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "pikku-client-timer-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/**
	 * A frame to send: text, or {@code null} for the close frame.
	 */
	private record Outbound(@Nullable String text, CompletableFuture<Void> done) {
	}

	/**
	 * A call waiting for its reply.
	 */
	private final class PendingCall<T> {

		final String action;

		final JavaType replyType;

		final CompletableFuture<T> future = new CompletableFuture<>();

		volatile ScheduledFuture<?> timeout;

		PendingCall(String action, JavaType replyType) {
			this.action = action;
			this.replyType = replyType;
		}

		void complete(JsonNode reply) {
			JsonNode error = reply.get("error");
			if (error != null && error.isObject() && error.has("code")) {
				JsonNode details = error.get("details");
				this.future.completeExceptionally(new PikkuCallException(this.action, error.path("code").asString(),
						error.path("message").asString(""), (details == null || details.isNull()) ? null : details));
				return;
			}
			try {
				this.future.complete(bind(reply));
			}
			catch (RuntimeException ex) {
				String text = reply.toString();
				this.future.completeExceptionally(new PikkuClientException("The reply to '" + this.action
						+ "' does not bind to " + this.replyType.toCanonical() + ": " + ex.getMessage() + "; reply: "
						+ ((text.length() > 500) ? text.substring(0, 500) + "..." : text), ex));
			}
		}

		@SuppressWarnings("unchecked")
		private T bind(JsonNode reply) {
			Class<?> raw = this.replyType.getRawClass();
			if (raw == Void.class || raw == void.class) {
				return null;
			}
			ObjectNode fields = ((ObjectNode) reply).deepCopy();
			fields.remove(JdkPikkuConnection.this.settings.routingProperty());
			fields.remove(JdkPikkuConnection.this.settings.correlationField());
			if (JsonNode.class.isAssignableFrom(raw)) {
				return (T) fields;
			}
			JsonNode value = (isScalar(this.replyType) && fields.size() == 1 && fields.has("result"))
					? fields.get("result") : fields;
			return JdkPikkuConnection.this.mapper.readerFor(this.replyType).readValue(value);
		}

		private static boolean isScalar(JavaType type) {
			Class<?> raw = type.getRawClass();
			return raw.isPrimitive() || raw == String.class || Number.class.isAssignableFrom(raw)
					|| raw == Boolean.class || type.isCollectionLikeType() || type.isArrayType();
		}

	}

	/**
	 * A topic handler, binding deliveries to its type.
	 */
	private final class TopicHandler<T> {

		final String topic;

		final Class<T> type;

		final Consumer<? super T> handler;

		TopicHandler(String topic, Class<T> type, Consumer<? super T> handler) {
			this.topic = topic;
			this.type = type;
			this.handler = handler;
		}

		void handle(JsonNode delivery) {
			T payload;
			try {
				payload = bind(delivery);
			}
			catch (RuntimeException ex) {
				logger.warn("A delivery of topic '{}' on {} does not bind to {}: {}", this.topic,
						JdkPikkuConnection.this.uri, this.type.getName(), ex.getMessage());
				return;
			}
			try {
				this.handler.accept(payload);
			}
			catch (RuntimeException ex) {
				logger.warn("A handler of topic '{}' on {} failed", this.topic, JdkPikkuConnection.this.uri, ex);
			}
		}

		private T bind(JsonNode delivery) {
			if (this.type.isInstance(delivery)) {
				return this.type.cast(delivery);
			}
			JsonNode value = (delivery.size() == 2 && delivery.has("data")) ? delivery.get("data") : delivery;
			return JdkPikkuConnection.this.mapper.treeToValue(value, this.type);
		}

	}

	/**
	 * Runs handlers one message at a time, in order, on the executor; tells the reader
	 * when it may read again.
	 */
	private final class Dispatcher implements Runnable {

		private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

		private final AtomicInteger size = new AtomicInteger();

		private final AtomicBoolean running = new AtomicBoolean();

		final AtomicReference<@Nullable Runnable> owedDemand = new AtomicReference<>();

		int enqueue(Runnable task) {
			this.tasks.add(task);
			int queued = this.size.incrementAndGet();
			if (this.running.compareAndSet(false, true)) {
				JdkPikkuConnection.this.settings.executor().execute(this);
			}
			return queued;
		}

		@Override
		public void run() {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("A handler of {} failed", JdkPikkuConnection.this.uri, ex);
				}
				if (this.size.decrementAndGet() < READ_AHEAD) {
					Runnable demand = this.owedDemand.getAndSet(null);
					if (demand != null) {
						demand.run();
					}
				}
			}
			this.running.set(false);
			if (!this.tasks.isEmpty() && this.running.compareAndSet(false, true)) {
				JdkPikkuConnection.this.settings.executor().execute(this);
			}
		}

	}

	/**
	 * Reads one socket: assembles partial messages, asks for the next one when the
	 * handlers keep up.
	 */
	private final class Reader implements WebSocket.Listener {

		private final StringBuilder parts = new StringBuilder();

		volatile WebSocket socket;

		/** How the socket ended, once it has; guarded by the connection's lock. */
		@Nullable CloseStatus ended;

		@Override
		public void onOpen(WebSocket webSocket) {
			this.socket = webSocket;
			webSocket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			if (!last || !this.parts.isEmpty()) {
				this.parts.append(data);
				if (this.parts.length() > JdkPikkuConnection.this.settings.maxMessageSize()) {
					this.parts.setLength(0);
					webSocket.sendClose(1009, "Message too big");
					webSocket.abort();
					lost(this, 1009, "a message from the server is larger than "
							+ JdkPikkuConnection.this.settings.maxMessageSize() + " characters", null);
					return null;
				}
				if (!last) {
					webSocket.request(1);
					return null;
				}
			}
			String text = this.parts.isEmpty() ? data.toString() : this.parts.toString();
			this.parts.setLength(0);
			int queued = dispatch(text);
			Dispatcher dispatcher = JdkPikkuConnection.this.dispatcher;
			if (queued < READ_AHEAD) {
				webSocket.request(1);
			}
			else {
				dispatcher.owedDemand.set(() -> webSocket.request(1));
				if (dispatcher.size.get() < READ_AHEAD) {
					Runnable demand = dispatcher.owedDemand.getAndSet(null);
					if (demand != null) {
						demand.run();
					}
				}
			}
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			logger.debug("Ignored a binary frame from {}", JdkPikkuConnection.this.uri);
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			lost(this, statusCode, reason, null);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			lost(this, -1, String.valueOf(error.getMessage()), error);
		}

	}

}
