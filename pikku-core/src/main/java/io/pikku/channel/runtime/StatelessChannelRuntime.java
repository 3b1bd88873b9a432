package io.pikku.channel.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.pikku.channel.ActionWiring;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuSession;
import io.pikku.eventhub.Delivery;
import io.pikku.eventhub.EventHub;
import io.pikku.store.ChannelRecord;
import io.pikku.store.StatelessChannelStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Runs channels behind a managed gateway that holds the sockets (Pikku's serverless
 * runner): the gateway calls {@link #connect}, {@link #message} and {@link #disconnect}
 * once per event with its connection id, and nothing about a connection stays in this JVM
 * between events. Each event rebuilds the channel from the {@link StatelessChannelStore}
 * and runs the same parts as the stateful runtime ({@link FrameRouter},
 * {@link ActionInvoker}, {@link ReplyWriter}, {@link OutboundChannel}, through
 * {@link OpenChannel}); what changes (session, state, subscriptions) is written back as
 * it happens. Sends go through the {@link ConnectionGateway}.
 *
 * <p>
 * Built with {@link ChannelRuntime.Builder#buildStateless(ConnectionGateway)}; the
 * EventHub must keep its subscriptions where every instance sees them. Thread-safe.
 */
public final class StatelessChannelRuntime {

	/** The gateway's limit on one message (API Gateway: 128 KB). */
	public static final int DEFAULT_MESSAGE_LIMIT = 128 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(StatelessChannelRuntime.class);

	private static final CompletableFuture<Void> DONE = FrameSequencer.DONE;

	/** Waits between posts that found the connection gone, before believing it. */
	private static final long[] GONE_RETRIES_MS = { 50, 150, 300, 500 };

	private final RuntimeServices services;

	private final ChannelRegistry registry;

	private final OpeningDataBinder openingData;

	private final ActionInvoker invoker;

	private final ConnectionGateway gateway;

	private final StatelessChannelStore store;

	private final boolean channelMiddleware;

	/** Reads a stored session that the configured codec cannot. */
	private final SessionCodec plainSessions;

	/** The channels answering an event on this instance, which deliveries join. */
	private final Map<String, OpenChannel> answering = new ConcurrentHashMap<>();

	private volatile int messageLimit = DEFAULT_MESSAGE_LIMIT;

	/** How long to wait before each retry of a held send, over the held-send window. */
	private volatile long[] heldRetries = retries(Duration.ofSeconds(5));

	StatelessChannelRuntime(ChannelRuntime.Builder builder, ConnectionGateway gateway) {
		this.services = builder.services();
		this.registry = builder.registry(this.services);
		this.openingData = new OpeningDataBinder(this.services);
		this.invoker = new ActionInvoker(this.services);
		this.gateway = gateway;
		this.store = (StatelessChannelStore) this.services.channelStore();
		this.plainSessions = SessionCodec.plain(this.services.mapper());
		refuseRateLimits(this.services.settings(), this.registry.definitions());
		this.channelMiddleware = this.registry.definitions()
			.stream()
			.anyMatch((definition) -> !this.registry.get(definition.name()).channelMiddleware.isEmpty());
		this.services.eventHub().bind(this::deliver, (message) -> {
			// users are reached through the store's user index, on any instance
		});
	}

	/**
	 * Rate limits count a connection's frames in memory, which lasts one event here: they
	 * would never trigger, so they refuse to start rather than seem to protect.
	 */
	private static void refuseRateLimits(ChannelSettings settings, List<ChannelDefinition<?>> definitions) {
		String why = "Rate limits count each connection's messages in memory, which the stateless runtime does "
				+ "not keep: throttle the API Gateway stage or route instead";
		if (settings.rateLimit() != null) {
			throw new IllegalStateException(why + " (a rate limit is configured for every connection)");
		}
		for (ChannelDefinition<?> definition : definitions) {
			for (ActionWiring action : definition.actions()) {
				if (action.rateLimit() != null) {
					throw new IllegalStateException(
							why + " (channel '" + definition.name() + "' limits action '" + action.name() + "')");
				}
			}
		}
	}

	/**
	 * Limits outbound messages (refused with a logged error) to the gateway's limit.
	 * @param bytes the limit in bytes of UTF-8 ({@value #DEFAULT_MESSAGE_LIMIT} unless
	 * set)
	 */
	public void setMessageLimit(int bytes) {
		if (bytes <= 0) {
			throw new IllegalArgumentException("The message limit must be positive");
		}
		this.messageLimit = bytes;
	}

	/**
	 * How long messages sent during {@code onConnect} are retried while the gateway does
	 * not have the connection yet (it has it only once {@code $connect} has answered).
	 * @param window the window (5 s unless set)
	 */
	public void setHeldSendWindow(Duration window) {
		this.heldRetries = retries(window);
	}

	// Opening

	/**
	 * The channel definition with the given name.
	 * @param name the channel name
	 * @return the definition, or {@code null}
	 */
	public @Nullable ChannelDefinition<?> definition(String name) {
		CompiledChannel channel = this.registry.find(name);
		return (channel != null) ? channel.definition : null;
	}

	/**
	 * The served channel definitions.
	 * @return the definitions, in registration order
	 */
	public List<ChannelDefinition<?>> definitions() {
		return this.registry.definitions();
	}

	/**
	 * Binds and validates the opening data of a connection from the query parameters the
	 * gateway passed on ({@code access_token} is never opening data).
	 * @param channelName the channel
	 * @param queryParameters the decoded query parameters
	 * @return the opening data
	 * @throws OpeningDataException if binding or validation fails
	 */
	public Object bindOpeningData(String channelName, Map<String, List<String>> queryParameters)
			throws OpeningDataException {
		return this.openingData.bind(this.registry.get(channelName), Map.of(), queryParameters);
	}

	/**
	 * The gateway's {@code $connect}: records the connection and runs {@code onConnect}.
	 * What {@code onConnect} sends is held and posted once the gateway has the
	 * connection. A failing {@code onConnect}, or one that closes the channel, refuses
	 * it.
	 * @param connectionId the gateway's connection id
	 * @param channelName the channel
	 * @param openingData the data from {@link #bindOpeningData}
	 * @param session the session established by the connect request, or {@code null}
	 * @return the outcome: empty if accepted, else the refusal
	 */
	public CompletionStage<Optional<Refusal>> connect(String connectionId, String channelName, Object openingData,
			@Nullable PikkuSession session) {
		GatewayConnection connection = new GatewayConnection(connectionId);
		OpenChannel channel = new OpenChannel(this.services, this.registry.get(channelName), this.invoker, connectionId,
				openingData, session, connection, () -> {
				});
		this.answering.put(connectionId, channel);
		this.services.listeners().opened(channel.info());
		channel.connect();
		return channel.idle().thenCompose((ignored) -> {
			List<String> refusedWith = connection.postHeldUnlessClosing();
			if (refusedWith == null) {
				forgetWhenPosted(connectionId, channel, connection);
				return CompletableFuture.completedFuture(Optional.<Refusal>empty());
			}
			this.answering.remove(connectionId, channel);
			Refusal refusal = refusal(refusedWith);
			return channel.closed().handle((done, failure) -> Optional.of(refusal));
		});
	}

	/**
	 * Leaves the channel to deliveries until what it sent is posted, so that a delivery
	 * follows the frames of the event rather than overtaking them.
	 */
	private void forgetWhenPosted(String connectionId, OpenChannel channel, GatewayConnection connection) {
		CompletionStage<Void> posts = connection.posted();
		posts.whenComplete((ignored, failure) -> {
			if (connection.posted() == posts) {
				this.answering.remove(connectionId, channel);
			}
			else {
				forgetWhenPosted(connectionId, channel, connection);
			}
		});
	}

	private Refusal refusal(List<String> held) {
		for (int i = held.size() - 1; i >= 0; i--) {
			JsonNode frame = this.services.mapper().readTree(held.get(i));
			String code = frame.path("error").path("code").asString(null);
			if (code != null) {
				return new Refusal(status(code), held.get(i));
			}
		}
		return new Refusal(403, null);
	}

	private static int status(String code) {
		return switch (code) {
			case ChannelErrorCodes.UNAUTHORIZED -> 401;
			case ChannelErrorCodes.FORBIDDEN -> 403;
			case ChannelErrorCodes.VALIDATION_FAILED, ChannelErrorCodes.INVALID_JSON -> 400;
			case ChannelErrorCodes.NOT_FOUND -> 404;
			case ChannelErrorCodes.RATE_LIMITED -> 429;
			default -> 500;
		};
	}

	// Messages

	/**
	 * The gateway's {@code $default}: one text message of a connection, answered as the
	 * stateful runtime answers it. Events of one connection run one at a time, on every
	 * instance.
	 * @param connectionId the gateway's connection id
	 * @param text the message
	 * @param routeResponse whether the last message of the answer (the reply, or the
	 * error) is returned for the integration's route response rather than posted
	 * @return the route response, or empty if everything was posted
	 */
	public CompletionStage<Optional<String>> message(String connectionId, String text, boolean routeResponse) {
		if (Utf8.exceeds(text, this.messageLimit)) {
			return reject(connectionId, new PikkuException(ChannelErrorCodes.TOO_LARGE,
					"Message is larger than " + this.messageLimit + " bytes", Map.of("limit", this.messageLimit)),
					routeResponse);
		}
		return this.store.exclusive(connectionId, () -> restore(connectionId, true).thenCompose((restored) -> {
			if (restored == null) {
				return unknown(connectionId);
			}
			OpenChannel channel = restored.channel;
			this.answering.put(connectionId, channel);
			return channel.handleText(text)
				.handle((ignored, failure) -> (Void) null)
				.thenCompose((ignored) -> channel.idle())
				.thenCompose((ignored) -> {
					CompletionStage<Optional<String>> answered = restored.connection.answer(routeResponse);
					forgetWhenPosted(connectionId, channel, restored.connection);
					return answered;
				});
		}));
	}

	/**
	 * Answers a message the runtime does not read: a binary one
	 * ({@code unsupported_frame}: the gateway carries text) or one over the limit
	 * ({@code too_large}).
	 * @param connectionId the gateway's connection id
	 * @param binary {@code true} for a binary message, {@code false} for one too large
	 * @param routeResponse as for {@link #message}
	 * @return the route response, or empty if it was posted
	 */
	public CompletionStage<Optional<String>> refuseMessage(String connectionId, boolean binary, boolean routeResponse) {
		PikkuException error = binary
				? new PikkuException(ChannelErrorCodes.UNSUPPORTED_FRAME,
						"This channel runs behind a gateway that carries text messages only")
				: new PikkuException(ChannelErrorCodes.TOO_LARGE,
						"Message is larger than " + this.messageLimit + " bytes", Map.of("limit", this.messageLimit));
		return reject(connectionId, error, routeResponse);
	}

	private CompletionStage<Optional<String>> reject(String connectionId, PikkuException error, boolean routeResponse) {
		String frame = this.services.replies().error(ReplyTo.NONE, error);
		if (routeResponse) {
			return CompletableFuture.completedFuture(Optional.of(frame));
		}
		return post(connectionId, frame, false).thenApply((ignored) -> Optional.empty());
	}

	/** A message from a connection the store does not know: it expired or was refused. */
	private CompletionStage<Optional<String>> unknown(String connectionId) {
		logger.debug("Connection {} is not in the channel store: closing it", connectionId);
		return this.gateway.close(connectionId)
			.handle((ignored, failure) -> Optional.<String>empty())
			.toCompletableFuture();
	}

	// Disconnect

	/**
	 * The gateway's {@code $disconnect}: runs {@code onDisconnect} and forgets the
	 * connection (its record, its user and its topics). The gateway may report it late,
	 * twice or never: a connection already forgotten is a quiet no-op.
	 * @param connectionId the gateway's connection id
	 * @return completes when done
	 */
	public CompletionStage<Void> disconnect(String connectionId) {
		return this.store.exclusive(connectionId, () -> restore(connectionId, false).thenCompose((restored) -> {
			if (restored == null) {
				// already forgotten (a repeated disconnect), or unreadable: make sure
				logger.debug("Disconnect of {}: already forgotten", connectionId);
				return this.store.remove(connectionId)
					.handle((ignored, failure) -> (Void) null)
					.thenCompose((ignored) -> this.services.eventHub().channelClosed(connectionId));
			}
			return restored.channel.closed();
		}));
	}

	/**
	 * A connection a post found gone: forgotten like a disconnect, after the event
	 * running now, unless the gateway still has it.
	 */
	private void gone(String connectionId) {
		// A 410 also answers a post that came before the gateway had the connection
		// (just after $connect): the gateway says which it was. If it cannot say, the
		// record stays (it expires, and the next post asks again).
		CompletionStage<Boolean> stillThere = this.gateway.info(connectionId)
			.handle((info, failure) -> failure != null || info.isPresent());
		this.services.writes().track(stillThere.thenCompose((present) -> {
			if (present) {
				logger.debug("A post to connection {} was refused as gone, but the gateway has it", connectionId);
				return DONE;
			}
			logger.debug("Connection {} is gone: forgetting it", connectionId);
			return disconnect(connectionId);
		}).handle((ignored, failure) -> {
			if (failure != null) {
				logger.warn("Could not forget gone connection {}", connectionId, failure);
			}
			return null;
		}));
	}

	// Outside a call

	/**
	 * Sends a message to every connection of a user, through channel middleware.
	 * @param userId the user
	 * @param message anything Jackson can write
	 * @return completes when posted
	 */
	public CompletionStage<Void> sendToUser(String userId, Object message) {
		return this.store.channelsOfUser(userId).thenCompose((ids) -> {
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (String id : ids) {
				sends.add(toConnection(id, (channel) -> channel.channel().send(message)).toCompletableFuture());
			}
			return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
		});
	}

	/**
	 * Closes every connection of a user (the gateway sends no close code).
	 * @param userId the user
	 * @return completes when the gateway accepted every close
	 */
	public CompletionStage<Void> closeUser(String userId) {
		return this.store.channelsOfUser(userId).thenCompose((ids) -> {
			List<CompletableFuture<Void>> closes = new ArrayList<>();
			for (String id : ids) {
				closes.add(this.gateway.close(id).toCompletableFuture());
			}
			return CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new));
		});
	}

	/**
	 * The EventHub whose deliveries reach the gateway's connections.
	 * @return the EventHub
	 */
	public EventHub eventHub() {
		return this.services.eventHub();
	}

	/**
	 * Where connections are recorded.
	 * @return the store
	 */
	public StatelessChannelStore channelStore() {
		return this.store;
	}

	/**
	 * Waits for the posts and store writes started so far (deliveries, messages held
	 * during {@code onConnect}, cleanup of gone connections), e.g. before a shutdown.
	 * @return a stage that completes, never exceptionally, when they are done
	 */
	public CompletionStage<Void> settled() {
		return this.services.writes().all();
	}

	private boolean deliver(String channelId, Delivery delivery) {
		OpenChannel answeringChannel = this.answering.get(channelId);
		if (answeringChannel != null) {
			try {
				return answeringChannel.deliver(delivery);
			}
			catch (RuntimeException ex) {
				logger.debug("Delivery to connection {} failed", channelId, ex);
				return true;
			}
		}
		if (!this.channelMiddleware) {
			this.services.writes().track(post(channelId, delivery.text(), false).handle((done, failure) -> {
				if (failure != null) {
					gone(channelId);
				}
				return null;
			}));
			return true;
		}
		this.services.writes().track(toConnection(channelId, (channel) -> channel.deliver(delivery)));
		return true;
	}

	/** Sends to one connection, through channel middleware, rebuilt for the purpose. */
	private CompletionStage<Void> toConnection(String channelId, Consumer<OpenChannel> send) {
		OpenChannel answeringChannel = this.answering.get(channelId);
		if (answeringChannel != null) {
			try {
				send.accept(answeringChannel);
			}
			catch (RuntimeException ex) {
				logger.debug("Send to connection {} failed", channelId, ex);
			}
			return DONE;
		}
		return restore(channelId, false).thenCompose((restored) -> {
			if (restored == null) {
				return this.services.eventHub().channelClosed(channelId);
			}
			try {
				send.accept(restored.channel);
			}
			catch (RuntimeException ex) {
				logger.debug("Send to connection {} failed", channelId, ex);
			}
			return restored.connection.posted();
		});
	}

	private CompletionStage<@Nullable Restored> restore(String channelId, boolean holding) {
		return this.store.get(channelId).thenApply((found) -> {
			if (found.isEmpty()) {
				return null;
			}
			ChannelRecord record = found.get();
			CompiledChannel compiled = this.registry.find(record.channelName());
			if (compiled == null) {
				logger.warn("Connection {} belongs to channel '{}', which this application does not serve", channelId,
						record.channelName());
				return null;
			}
			Object openingData;
			try {
				openingData = openingData(compiled, record.openingData());
			}
			catch (RuntimeException ex) {
				logger.warn("Opening data of connection {} no longer binds to channel '{}'", channelId,
						record.channelName(), ex);
				return null;
			}
			PikkuSession session = null;
			if (record.session() != null) {
				session = this.services.sessionCodec().decode(record.session());
				if (session == null) {
					// at least its user id and expiry
					session = this.plainSessions.decode(record.session());
				}
			}
			if (session == null && record.userId() != null) {
				session = PikkuSession.of(record.userId());
			}
			GatewayConnection connection = new GatewayConnection(channelId);
			if (!holding) {
				connection.release();
			}
			OpenChannel channel = new OpenChannel(this.services, compiled, this.invoker, channelId, openingData,
					session, connection, () -> {
					});
			channel.restored(record.state());
			return new Restored(channel, connection);
		});
	}

	private Object openingData(CompiledChannel channel, JsonNode recorded) {
		Class<?> type = channel.definition.openingDataType();
		return this.services.openingDataMapper().treeToValue(recorded, type);
	}

	/** Posts one message, retrying a connection that looks gone for a little while. */
	private CompletionStage<Void> post(String connectionId, String text, boolean held) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		attempt(connectionId, text, held ? this.heldRetries : GONE_RETRIES_MS, 0, result);
		return result;
	}

	/** Waits of 20 ms doubling up to 500 ms, as many as fit in the window. */
	private static long[] retries(Duration window) {
		List<Long> waits = new ArrayList<>();
		long wait = 20;
		for (long total = 0; total + wait <= window.toMillis(); total += wait) {
			waits.add(wait);
			wait = Math.min(wait * 2, 500);
		}
		return waits.stream().mapToLong(Long::longValue).toArray();
	}

	private void attempt(String connectionId, String text, long[] retries, int attempt,
			CompletableFuture<Void> result) {
		this.gateway.post(connectionId, text).whenComplete((ignored, failure) -> {
			if (failure == null) {
				result.complete(null);
				return;
			}
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			if (!(cause instanceof ConnectionGateway.GoneException)) {
				logger.warn("Could not post to connection {}", connectionId, cause);
				result.complete(null);
				return;
			}
			if (attempt < retries.length) {
				CompletableFuture.delayedExecutor(retries[attempt], TimeUnit.MILLISECONDS)
					.execute(() -> attempt(connectionId, text, retries, attempt + 1, result));
				return;
			}
			result.completeExceptionally(cause);
		});
	}

	/**
	 * A refused {@code $connect}.
	 *
	 * @param status the HTTP status to answer the gateway with
	 * @param body the error in the structured shape, or {@code null}
	 */
	public record Refusal(int status, @Nullable String body) {
	}

	private record Restored(OpenChannel channel, GatewayConnection connection) {
	}

	/**
	 * One connection as the runtime's parts see it for one event: sends are held while
	 * the event runs (so that the answer can go as the route response, and what
	 * {@code onConnect} sends waits for the gateway to have the connection), then posted
	 * in order.
	 */
	private final class GatewayConnection implements ChannelConnection {

		private final String id;

		private final List<String> held = new ArrayList<>();

		private boolean holding = true;

		/** The posts so far, in order. */
		private CompletionStage<Void> posts = DONE;

		private volatile boolean closeRequested;

		private volatile boolean gone;

		GatewayConnection(String id) {
			this.id = id;
		}

		@Override
		public void sendText(String text) {
			int limit = StatelessChannelRuntime.this.messageLimit;
			if (Utf8.exceeds(text, limit)) {
				int size = text.getBytes(StandardCharsets.UTF_8).length;
				logger.error("Message of {} bytes to connection {} refused: the gateway's limit is {} bytes", size,
						this.id, limit);
				throw new PikkuException(ChannelErrorCodes.TOO_LARGE,
						"Message is larger than the gateway's limit of " + limit + " bytes", Map.of("limit", limit));
			}
			synchronized (this) {
				if (this.holding) {
					this.held.add(text);
					return;
				}
				queue(text, false);
			}
		}

		@Override
		public void sendBinary(java.nio.ByteBuffer data) {
			logger.error("Binary message to connection {} refused: the gateway carries text only", this.id);
		}

		@Override
		public void close(int code, @Nullable String reason) {
			synchronized (this) {
				this.closeRequested = true;
				if (!this.holding) {
					this.posts = this.posts.thenCompose((ignored) -> closeAtGateway());
				}
			}
		}

		private CompletionStage<Void> closeAtGateway() {
			return StatelessChannelRuntime.this.gateway.close(this.id).handle((ignored, failure) -> {
				if (failure != null) {
					logger.warn("Could not close connection {}", this.id, failure);
				}
				return null;
			});
		}

		/** Stops holding: later sends are posted at once. */
		synchronized List<String> release() {
			this.holding = false;
			List<String> released = List.copyOf(this.held);
			this.held.clear();
			return released;
		}

		/**
		 * Stops holding and posts what {@code onConnect} sent, retried until the gateway
		 * has the connection, in one step so that later sends follow it.
		 * @return {@code null}, or what was held if the channel asked to close instead
		 */
		synchronized @Nullable List<String> postHeldUnlessClosing() {
			List<String> held = release();
			if (this.closeRequested) {
				return held;
			}
			for (String frame : held) {
				queue(frame, true);
			}
			StatelessChannelRuntime.this.services.writes().track(this.posts);
			return null;
		}

		/** Posts the answer to a message, or all but its last message. */
		CompletionStage<Optional<String>> answer(boolean routeResponse) {
			String last = null;
			synchronized (this) {
				List<String> frames = release();
				int count = frames.size();
				if (routeResponse && count > 0 && !this.closeRequested) {
					last = frames.get(count - 1);
					count--;
				}
				for (int i = 0; i < count; i++) {
					queue(frames.get(i), false);
				}
				if (this.closeRequested) {
					this.posts = this.posts.thenCompose((ignored) -> closeAtGateway());
				}
			}
			String response = last;
			return posted()
				.handle((ignored, failure) -> (this.gone) ? Optional.<String>empty() : Optional.ofNullable(response));
		}

		synchronized CompletionStage<Void> posted() {
			return this.posts;
		}

		private void queue(String text, boolean held) {
			this.posts = this.posts.thenCompose((ignored) -> {
				if (this.gone) {
					return DONE;
				}
				return post(this.id, text, held).handle((done, failure) -> {
					if (failure != null && !this.gone) {
						this.gone = true;
						gone(this.id);
					}
					return null;
				});
			});
		}

	}

}
