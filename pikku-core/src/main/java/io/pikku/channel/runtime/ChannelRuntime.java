package io.pikku.channel.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ErrorTranslator;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.TagMiddleware;
import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.Delivery;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.InMemoryEventHub;
import io.pikku.eventhub.LocalDelivery;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.store.StatelessChannelStore;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a set of channel definitions: finds the channel for an upgrade, binds its opening
 * data, opens connections that a transport then feeds with frames, and reaches users on
 * every instance. One per application; thread-safe.
 *
 * <p>
 * It puts the runtime's parts together: {@link ChannelRegistry} (the compiled channels),
 * {@link OpeningDataBinder}, {@link ActionInvoker}, {@link ReplyWriter} and
 * {@link UserRelay}, sharing {@link RuntimeServices}; each {@link OpenChannel} adds the
 * parts of one connection.
 */
public final class ChannelRuntime {

	private final RuntimeServices services;

	private final ChannelRegistry registry;

	private final OpeningDataBinder openingData;

	private final ActionInvoker invoker;

	private final Map<String, OpenChannel> openChannels = new ConcurrentHashMap<>();

	private final UserRelay users;

	/**
	 * Starts a runtime for the given channels.
	 * @param definitions the channels to serve
	 * @param jsonMapper the application's JSON mapper
	 * @return a builder
	 */
	public static Builder builder(Collection<? extends ChannelDefinition<?>> definitions, JsonMapper jsonMapper) {
		return new Builder(definitions, jsonMapper);
	}

	private ChannelRuntime(Builder builder) {
		this.services = builder.services();
		this.registry = builder.registry(this.services);
		this.openingData = new OpeningDataBinder(this.services);
		this.invoker = new ActionInvoker(this.services);
		this.users = new UserRelay(this.services, this.openChannels.values());
		this.services.eventHub().bind(new OpenChannels(), this.users::received);
		start();
	}

	/**
	 * Acts on messages to users ({@link #sendToUser}, {@link #closeUser}) from every
	 * instance. A new runtime already does; a transport calls this when it starts again
	 * after {@link #stop()}.
	 */
	public void start() {
		this.users.listen(true);
	}

	/**
	 * Stops acting on messages to users, for a graceful shutdown once the transport has
	 * closed its connections. The returned stage completes when every store and EventHub
	 * write started so far (recording state, leaving topics, forgetting closed
	 * connections) is done, so that a stopping instance leaves nothing behind in a shared
	 * store such as Redis.
	 * @return a stage that completes, never exceptionally, when the writes are done
	 */
	public CompletionStage<Void> stop() {
		this.users.listen(false);
		return this.services.writes().all();
	}

	/**
	 * This instance's connections, as the EventHub delivers to them: a connection open
	 * when it subscribes is its own recipient, so that a delivery need not find it by id.
	 */
	private final class OpenChannels implements LocalDelivery {

		@Override
		public boolean deliver(String channelId, Delivery delivery) {
			OpenChannel channel = ChannelRuntime.this.openChannels.get(channelId);
			return channel != null && channel.deliver(delivery);
		}

		@Override
		public Recipient recipient(String channelId) {
			OpenChannel channel = ChannelRuntime.this.openChannels.get(channelId);
			return (channel != null) ? channel::deliver : LocalDelivery.super.recipient(channelId);
		}

	}

	/**
	 * Sends a message to every connection of a user, on every instance, e.g. to tell all
	 * of a user's devices something. It goes through channel middleware like any send. It
	 * travels between instances on the EventHub's channel for runtime messages, which no
	 * topic name reaches.
	 * @param userId the user
	 * @param message anything Jackson can write
	 * @return completes when sent to every instance
	 */
	public CompletionStage<Void> sendToUser(String userId, Object message) {
		return this.users.sendToUser(userId, message);
	}

	/**
	 * Closes every connection of a user, on every instance, e.g. after a password change.
	 * @param userId the user
	 * @param code the WebSocket close code
	 * @param reason a short reason for the clients
	 * @return completes when sent to every instance
	 */
	public CompletionStage<Void> closeUser(String userId, int code, String reason) {
		return this.users.closeUser(userId, code, reason);
	}

	/**
	 * The EventHub whose deliveries reach this runtime's connections.
	 * @return the EventHub
	 */
	public EventHub eventHub() {
		return this.services.eventHub();
	}

	/**
	 * Where this runtime records its connections.
	 * @return the channel store
	 */
	public ChannelStore channelStore() {
		return this.services.channelStore();
	}

	/**
	 * The served channel definitions.
	 * @return the definitions, in registration order
	 */
	public List<ChannelDefinition<?>> definitions() {
		return this.registry.definitions();
	}

	/**
	 * The served channels as the runtime resolves them (routing properties, auth,
	 * permissions and rate limits of each action), for descriptions such as the actuator
	 * endpoint and the API description.
	 * @return the channels, in registration order
	 */
	public List<ChannelDescription> describe() {
		List<ChannelDescription> described = new ArrayList<>();
		for (ChannelDefinition<?> definition : this.registry.definitions()) {
			described.add(this.registry.get(definition.name()).describe(this.services.settings()));
		}
		return described;
	}

	/**
	 * The settings in force.
	 * @return the settings
	 */
	public ChannelSettings settings() {
		return this.services.settings();
	}

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
	 * Finds the channel whose route matches a request path; literal segments win over
	 * variables, so {@code /a/b} is preferred to {@code /a/{x}}.
	 * @param path the raw request path, without context path or query
	 * @return the match, or {@code null} if no channel has that route
	 */
	public @Nullable RouteMatch match(String path) {
		return this.registry.match(path);
	}

	/**
	 * Binds and validates the opening data of an upgrade request. Path variables win over
	 * query parameters of the same name; {@code access_token} is never opening data.
	 * @param channelName the channel being opened
	 * @param pathVariables the decoded path variables
	 * @param queryParameters the decoded query parameters
	 * @return the opening data
	 * @throws OpeningDataException if binding or validation fails
	 */
	public Object bindOpeningData(String channelName, Map<String, String> pathVariables,
			Map<String, List<String>> queryParameters) throws OpeningDataException {
		return this.openingData.bind(this.registry.get(channelName), pathVariables, queryParameters);
	}

	/**
	 * Opens a connection, for a transport: creates its channel and runs
	 * {@code onConnect}. The transport then passes it every frame with
	 * {@link OpenChannel#handleText(String)} and tells it of the close with
	 * {@link OpenChannel#handleClosed()}.
	 * @param channelName the channel
	 * @param openingData the data from {@link #bindOpeningData}
	 * @param session the session established at the handshake, or {@code null}
	 * @param connection the transport's connection
	 * @return the open channel
	 */
	public OpenChannel open(String channelName, Object openingData, @Nullable PikkuSession session,
			ChannelConnection connection) {
		String id = UUID.randomUUID().toString();
		OpenChannel channel = new OpenChannel(this.services, this.registry.get(channelName), this.invoker, id,
				openingData, session, connection, () -> this.openChannels.remove(id));
		this.openChannels.put(id, channel);
		this.services.listeners().opened(channel.info());
		channel.connect();
		return channel;
	}

	/**
	 * A connection open on this instance.
	 * @param channelId the channel id
	 * @return a read-only view of it, or {@code null} if none is open here with that id
	 */
	public @Nullable ConnectionInfo connection(String channelId) {
		OpenChannel channel = this.openChannels.get(channelId);
		return (channel != null) ? channel.info() : null;
	}

	/**
	 * The connections open on this instance.
	 * @return read-only views of them, as they are now
	 */
	public List<ConnectionInfo> connections() {
		return this.openChannels.values().stream().map(OpenChannel::info).toList();
	}

	/**
	 * Closes a connection open on this instance, after what is already queued for it. To
	 * close a user's connections on every instance, see {@link #closeUser}.
	 * @param channelId the channel id
	 * @param code the WebSocket close code
	 * @param reason a short reason for the client, or {@code null}
	 * @return whether a connection with that id was open here
	 */
	public boolean close(String channelId, int code, @Nullable String reason) {
		OpenChannel channel = this.openChannels.get(channelId);
		if (channel == null) {
			return false;
		}
		channel.channel().close(code, reason);
		return true;
	}

	/**
	 * How many connections of a channel are open on this instance.
	 * @param channelName the channel
	 * @return the count
	 */
	public long connectionCount(String channelName) {
		return this.openChannels.values().stream().filter((channel) -> channel.name().equals(channelName)).count();
	}

	/**
	 * Builds a {@link ChannelRuntime}.
	 */
	public static final class Builder {

		private final Collection<? extends ChannelDefinition<?>> definitions;

		private final JsonMapper jsonMapper;

		private ChannelSettings settings = ChannelSettings.DEFAULTS;

		private @Nullable Validator validator;

		private @Nullable ChannelStore channelStore;

		private @Nullable AbstractEventHub eventHub;

		private final List<TagMiddleware> tagMiddleware = new ArrayList<>();

		private CallScope callScope = CallScope.NONE;

		private ResultAdapter resultAdapter = ResultAdapter.NONE;

		private final List<ErrorTranslator> errorTranslators = new ArrayList<>();

		private final List<ChannelListener> listeners = new ArrayList<>();

		private @Nullable SessionCodec sessionCodec;

		private Builder(Collection<? extends ChannelDefinition<?>> definitions, JsonMapper jsonMapper) {
			this.definitions = List.copyOf(definitions);
			this.jsonMapper = jsonMapper;
		}

		/**
		 * How frames are read and answered ({@link ChannelSettings#DEFAULTS} unless set).
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder settings(ChannelSettings settings) {
			this.settings = settings;
			return this;
		}

		/**
		 * The Bean Validation validator of inputs and opening data.
		 * @param validator the validator, or {@code null} to skip validation
		 * @return this builder
		 */
		public Builder validator(@Nullable Validator validator) {
			this.validator = validator;
			return this;
		}

		/**
		 * Where connections are recorded (in memory unless set).
		 * @param channelStore the store
		 * @return this builder
		 */
		public Builder channelStore(@Nullable ChannelStore channelStore) {
			this.channelStore = channelStore;
			return this;
		}

		/**
		 * The EventHub whose deliveries reach this runtime's connections (in memory
		 * unless set).
		 * @param eventHub the EventHub
		 * @return this builder
		 */
		public Builder eventHub(@Nullable AbstractEventHub eventHub) {
			this.eventHub = eventHub;
			return this;
		}

		/**
		 * Tag and global middleware, applied in the given order (outermost first).
		 * @param tagMiddleware the registrations
		 * @return this builder
		 */
		public Builder tagMiddleware(Collection<TagMiddleware> tagMiddleware) {
			this.tagMiddleware.addAll(tagMiddleware);
			return this;
		}

		/**
		 * What a function's thread should see while it runs.
		 * @param callScope the scope
		 * @return this builder
		 */
		public Builder callScope(CallScope callScope) {
			this.callScope = callScope;
			return this;
		}

		/**
		 * Turns results of another asynchronous type, such as Reactor's {@code Mono},
		 * into a {@link java.util.concurrent.CompletionStage} that the runtime waits for.
		 * @param resultAdapter the adapter
		 * @return this builder
		 */
		public Builder resultAdapter(ResultAdapter resultAdapter) {
			this.resultAdapter = resultAdapter;
			return this;
		}

		/**
		 * Translators of exceptions into client errors, asked in order before the
		 * built-in ones ({@link io.pikku.channel.PikkuException} and Bean Validation).
		 * @param errorTranslators the translators
		 * @return this builder
		 */
		public Builder errorTranslators(Collection<ErrorTranslator> errorTranslators) {
			this.errorTranslators.addAll(errorTranslators);
			return this;
		}

		/**
		 * Listeners told what happens on every connection, e.g. for metrics.
		 * @param listeners the listeners
		 * @return this builder
		 */
		public Builder listeners(Collection<ChannelListener> listeners) {
			this.listeners.addAll(listeners);
			return this;
		}

		/**
		 * How sessions are written into the channel store and read back (the plain
		 * {@link SessionCodec} unless set).
		 * @param sessionCodec the codec
		 * @return this builder
		 */
		public Builder sessionCodec(@Nullable SessionCodec sessionCodec) {
			this.sessionCodec = sessionCodec;
			return this;
		}

		RuntimeServices services() {
			ChannelStore channelStore = (this.channelStore != null) ? this.channelStore : new InMemoryChannelStore();
			AbstractEventHub eventHub = (this.eventHub != null) ? this.eventHub
					: new InMemoryEventHub(this.jsonMapper, channelStore);
			JsonMapper mapper = ChannelJson.strict(this.jsonMapper);
			return new RuntimeServices(this.settings, mapper, this.jsonMapper, this.validator, this.callScope,
					this.resultAdapter, List.copyOf(this.errorTranslators), new Listeners(this.listeners), eventHub,
					channelStore, new PendingWrites(), new ReplyWriter(mapper, this.settings.correlationField()),
					(this.sessionCodec != null) ? this.sessionCodec : SessionCodec.plain(mapper));
		}

		ChannelRegistry registry(RuntimeServices services) {
			return new ChannelRegistry(this.definitions, this.settings, services.mapper(), this.validator,
					List.copyOf(this.tagMiddleware));
		}

		/**
		 * Compiles the definitions for a runtime that holds no connection in memory: a
		 * managed gateway holds the sockets and calls it once per event, and each event
		 * rebuilds the channel from the store, which must then be shared by every
		 * instance (a {@link StatelessChannelStore}, in memory unless set).
		 * @param gateway sends to the gateway's connections
		 * @return the stateless runtime
		 * @throws IllegalStateException if the store set is not a
		 * {@link StatelessChannelStore}, or as {@link #build()}
		 */
		public StatelessChannelRuntime buildStateless(ConnectionGateway gateway) {
			if (this.channelStore != null && !(this.channelStore instanceof StatelessChannelStore)) {
				throw new IllegalStateException("The stateless runtime needs a " + StatelessChannelStore.class.getName()
						+ ", not a " + this.channelStore.getClass().getName());
			}
			return new StatelessChannelRuntime(this, gateway);
		}

		/**
		 * Compiles the definitions.
		 * @return the runtime
		 * @throws IllegalStateException if two channels share a name or a route, or a
		 * definition is inconsistent with the settings
		 */
		public ChannelRuntime build() {
			return new ChannelRuntime(this);
		}

	}

	/**
	 * A channel whose route matched a request path.
	 *
	 * @param definition the channel
	 * @param pathVariables the decoded path variables
	 */
	public record RouteMatch(ChannelDefinition<?> definition, Map<String, String> pathVariables) {
	}

}
