package io.pikku.channel.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ErrorTranslator;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.TagMiddleware;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.Delivery;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.InMemoryEventHub;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs a set of channel definitions: finds the channel for an upgrade, binds its opening
 * data, and opens connections that a transport then feeds with frames. One per
 * application; thread-safe.
 */
public final class ChannelRuntime {

	/** Query parameters that are credentials, never opening data. */
	private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("access_token");

	private final List<CompiledChannel> channels;

	/** The channels, most specific route first, for matching. */
	private final List<CompiledChannel> matchOrder;

	private final Map<String, CompiledChannel> byName;

	private final ChannelSettings settings;

	private final JsonMapper mapper;

	private final JsonMapper openingDataMapper;

	private final @Nullable Validator validator;

	private final Map<String, OpenChannel> openChannels = new ConcurrentHashMap<>();

	/** Store and EventHub writes of connections that are not complete yet. */
	private final Set<CompletableFuture<Void>> pendingWrites = ConcurrentHashMap.newKeySet();

	/** Whether this runtime acts on messages to users. */
	private volatile boolean listening;

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(ChannelRuntime.class);

	private final AbstractEventHub eventHub;

	private final ChannelStore channelStore;

	private final List<TagMiddleware> tagMiddleware;

	private final CallScope callScope;

	private final ResultAdapter resultAdapter;

	private final List<ErrorTranslator> errorTranslators;

	private final Listeners listeners;

	/**
	 * Compiles the definitions, with an in-memory EventHub and channel store.
	 * @param definitions the channels to serve
	 * @param settings how frames are read and answered
	 * @param jsonMapper the application's JSON mapper
	 * @param validator the Bean Validation validator, or {@code null} to skip validation
	 * @throws IllegalStateException if two channels share a name or a route, or a
	 * definition is inconsistent with the settings
	 */
	public ChannelRuntime(Collection<? extends ChannelDefinition<?>> definitions, ChannelSettings settings,
			JsonMapper jsonMapper, @Nullable Validator validator) {
		this(builder(definitions, jsonMapper).settings(settings).validator(validator));
	}

	/**
	 * Compiles the definitions.
	 * @param definitions the channels to serve
	 * @param settings how frames are read and answered
	 * @param jsonMapper the application's JSON mapper
	 * @param validator the Bean Validation validator, or {@code null} to skip validation
	 * @param channelStore where connections are recorded
	 * @param eventHub the EventHub whose deliveries reach this runtime's connections, or
	 * {@code null} for an in-memory one
	 * @throws IllegalStateException if two channels share a name or a route, or a
	 * definition is inconsistent with the settings
	 */
	public ChannelRuntime(Collection<? extends ChannelDefinition<?>> definitions, ChannelSettings settings,
			JsonMapper jsonMapper, @Nullable Validator validator, ChannelStore channelStore,
			@Nullable AbstractEventHub eventHub) {
		this(builder(definitions, jsonMapper).settings(settings)
			.validator(validator)
			.channelStore(channelStore)
			.eventHub(eventHub));
	}

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
		Collection<? extends ChannelDefinition<?>> definitions = builder.definitions;
		ChannelSettings settings = builder.settings;
		JsonMapper jsonMapper = builder.jsonMapper;
		Validator validator = builder.validator;
		ChannelStore channelStore = (builder.channelStore != null) ? builder.channelStore : new InMemoryChannelStore();
		AbstractEventHub eventHub = builder.eventHub;
		this.tagMiddleware = List.copyOf(builder.tagMiddleware);
		this.callScope = builder.callScope;
		this.resultAdapter = builder.resultAdapter;
		this.errorTranslators = List.copyOf(builder.errorTranslators);
		this.listeners = new Listeners(builder.listeners);
		this.settings = settings;
		this.channelStore = channelStore;
		this.eventHub = (eventHub != null) ? eventHub : new InMemoryEventHub(jsonMapper, channelStore);
		this.openingDataMapper = jsonMapper;
		this.mapper = ChannelJson.strict(jsonMapper);
		this.validator = validator;
		List<CompiledChannel> compiled = new ArrayList<>();
		Map<String, CompiledChannel> names = new LinkedHashMap<>();
		Map<String, CompiledChannel> routes = new HashMap<>();
		for (ChannelDefinition<?> definition : definitions) {
			CompiledChannel channel = new CompiledChannel(definition, settings, this.mapper, this.tagMiddleware);
			CompiledChannel sameName = names.putIfAbsent(definition.name(), channel);
			if (sameName != null) {
				throw new IllegalStateException("Duplicate channel name '" + definition.name() + "': routes "
						+ sameName.definition.route() + " and " + definition.route());
			}
			CompiledChannel sameRoute = routes.putIfAbsent(channel.route.signature(), channel);
			if (sameRoute != null) {
				throw new IllegalStateException("Channels '" + sameRoute.name() + "' and '" + definition.name()
						+ "' have the same route: " + sameRoute.definition.route() + " and " + definition.route());
			}
			compiled.add(channel);
		}
		this.channels = List.copyOf(compiled);
		this.matchOrder = compiled.stream()
			.sorted(java.util.Comparator.comparingInt((CompiledChannel channel) -> channel.route.variableCount()))
			.toList();
		this.byName = Collections.unmodifiableMap(names);
		this.eventHub.bind(this::deliver, this::runtimeMessage);
		start();
	}

	/**
	 * Listens for messages to users ({@link #sendToUser}, {@link #closeUser}) from every
	 * instance. A new runtime already listens; a transport calls this when it starts
	 * again after {@link #stop()}.
	 */
	public void start() {
		this.listening = true;
	}

	/**
	 * Stops listening for messages to users, for a graceful shutdown once the transport
	 * has closed its connections. The returned stage completes when every store and
	 * EventHub write started so far (recording state, leaving topics, forgetting closed
	 * connections) is done, so that a stopping instance leaves nothing behind in a shared
	 * store such as Redis.
	 * @return a stage that completes, never exceptionally, when the writes are done
	 */
	public CompletionStage<Void> stop() {
		this.listening = false;
		return CompletableFuture.allOf(this.pendingWrites.toArray(CompletableFuture[]::new));
	}

	private boolean deliver(String channelId, Delivery delivery) {
		OpenChannel channel = this.openChannels.get(channelId);
		return channel != null && channel.deliver(delivery);
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
		return toRuntimes(Map.of("user", userId, "kind", "send", "message", message));
	}

	/**
	 * Closes every connection of a user, on every instance (through the EventHub), e.g.
	 * after a password change.
	 * @param userId the user
	 * @param code the WebSocket close code
	 * @param reason a short reason for the clients
	 * @return completes when published
	 */
	public CompletionStage<Void> closeUser(String userId, int code, String reason) {
		return toRuntimes(Map.of("user", userId, "kind", "close", "code", code, "reason", reason));
	}

	private CompletionStage<Void> toRuntimes(Map<String, Object> message) {
		String json;
		try {
			json = this.mapper.writeValueAsString(message);
		}
		catch (JacksonException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.eventHub.sendToRuntimes(json);
	}

	private void runtimeMessage(String json) {
		if (!this.listening) {
			return;
		}
		try {
			toUser(this.mapper.readTree(json));
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring a runtime message that is not JSON");
		}
	}

	private void toUser(JsonNode control) {
		String userId = control.path("user").asString(null);
		if (userId == null) {
			return;
		}
		for (OpenChannel channel : this.openChannels.values()) {
			PikkuSession session = channel.session();
			if (session == null || !userId.equals(session.userId())) {
				continue;
			}
			try {
				if ("close".equals(control.path("kind").asString(null))) {
					channel.channel().close(control.path("code").asInt(1008), control.path("reason").asString(null));
				}
				else {
					channel.channel().send(control.path("message"));
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Message to user {} not delivered to connection {}", userId, channel.id());
			}
		}
	}

	/**
	 * The EventHub whose deliveries reach this runtime's connections.
	 * @return the EventHub
	 */
	public EventHub eventHub() {
		return this.eventHub;
	}

	AbstractEventHub hub() {
		return this.eventHub;
	}

	/**
	 * Where this runtime records its connections.
	 * @return the channel store
	 */
	public ChannelStore channelStore() {
		return this.channelStore;
	}

	/**
	 * The served channel definitions.
	 * @return the definitions, in registration order
	 */
	public List<ChannelDefinition<?>> definitions() {
		return this.channels.stream().<ChannelDefinition<?>>map((channel) -> channel.definition).toList();
	}

	/**
	 * The served channels as the runtime resolves them (routing properties, auth,
	 * permissions and rate limits of each action), for descriptions such as the actuator
	 * endpoint and the API description.
	 * @return the channels, in registration order
	 */
	public List<ChannelDescription> describe() {
		return this.channels.stream().map((channel) -> channel.describe(this.settings)).toList();
	}

	/**
	 * The settings in force.
	 * @return the settings
	 */
	public ChannelSettings settings() {
		return this.settings;
	}

	/**
	 * The channel definition with the given name.
	 * @param name the channel name
	 * @return the definition, or {@code null}
	 */
	public @Nullable ChannelDefinition<?> definition(String name) {
		CompiledChannel channel = this.byName.get(name);
		return (channel != null) ? channel.definition : null;
	}

	/**
	 * Finds the channel whose route matches a request path; literal segments win over
	 * variables, so {@code /a/b} is preferred to {@code /a/{x}}.
	 * @param path the raw request path, without context path or query
	 * @return the match, or {@code null} if no channel has that route
	 */
	public @Nullable RouteMatch match(String path) {
		for (CompiledChannel channel : this.matchOrder) {
			Map<String, String> variables = channel.route.match(path);
			if (variables != null) {
				return new RouteMatch(channel.definition, variables);
			}
		}
		return null;
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
		CompiledChannel channel = channel(channelName);
		Map<String, Object> values = new LinkedHashMap<>();
		queryParameters.forEach((name, list) -> {
			if (!CREDENTIAL_PARAMETERS.contains(name) && !list.isEmpty()) {
				values.put(name, (list.size() == 1) ? list.get(0) : List.copyOf(list));
			}
		});
		values.putAll(pathVariables);
		Class<?> type = channel.definition.openingDataType();
		if (type == Map.class) {
			Map<String, String> flat = new LinkedHashMap<>();
			values.forEach((name, value) -> flat.put(name,
					(value instanceof List<?> list) ? (String) list.get(0) : (String) value));
			return Collections.unmodifiableMap(flat);
		}
		Object data;
		try {
			data = this.openingDataMapper.convertValue(values, type);
		}
		catch (JacksonException ex) {
			throw openingDataFailed(Errors.bindingFailed("Invalid opening data", ex));
		}
		if (data == null) {
			throw openingDataFailed(Errors.validationFailed("Invalid opening data", Set.of()));
		}
		if (this.validator != null) {
			Set<ConstraintViolation<Object>> violations = this.validator.validate(data);
			if (!violations.isEmpty()) {
				throw openingDataFailed(Errors.validationFailed("Invalid opening data", violations));
			}
		}
		return data;
	}

	private OpeningDataException openingDataFailed(io.pikku.channel.PikkuException error) {
		ObjectNode body = this.mapper.createObjectNode();
		body.set("error", errorNode(error));
		return new OpeningDataException(error.getMessage(), this.mapper.writeValueAsString(body));
	}

	/**
	 * Opens a connection: creates its channel and runs {@code onConnect}. The transport
	 * then passes it every frame with {@link OpenChannel#handleText(String)} and tells it
	 * of the close with {@link OpenChannel#handleClosed()}.
	 * @param channelName the channel
	 * @param openingData the data from {@link #bindOpeningData}
	 * @param session the session established at the handshake, or {@code null}
	 * @param connection the transport's connection
	 * @return the open channel
	 */
	public OpenChannel open(String channelName, Object openingData, @Nullable PikkuSession session,
			ChannelConnection connection) {
		OpenChannel channel = new OpenChannel(this, channel(channelName), UUID.randomUUID().toString(), openingData,
				session, connection);
		this.openChannels.put(channel.id(), channel);
		this.listeners.opened(channel);
		channel.connect();
		return channel;
	}

	/**
	 * A connection open on this instance.
	 * @param channelId the channel id
	 * @return the channel, or {@code null} if none is open here with that id
	 */
	public @Nullable OpenChannel openChannel(String channelId) {
		return this.openChannels.get(channelId);
	}

	/**
	 * The connections open on this instance.
	 * @return a live view
	 */
	public Collection<OpenChannel> openChannels() {
		return Collections.unmodifiableCollection(this.openChannels.values());
	}

	/**
	 * How many connections of a channel are open on this instance.
	 * @param channelName the channel
	 * @return the count
	 */
	public long connectionCount(String channelName) {
		return this.openChannels.values().stream().filter((channel) -> channel.name().equals(channelName)).count();
	}

	private CompiledChannel channel(String name) {
		CompiledChannel channel = this.byName.get(name);
		if (channel == null) {
			throw new IllegalArgumentException("No channel named '" + name + "'");
		}
		return channel;
	}

	void closed(OpenChannel channel) {
		this.openChannels.remove(channel.id(), channel);
	}

	/** Tracks a write until it completes; see {@link #stop()}. */
	CompletionStage<Void> track(CompletionStage<Void> write) {
		CompletableFuture<Void> done = write.toCompletableFuture().handle((ignored, failure) -> null);
		if (!done.isDone()) {
			this.pendingWrites.add(done);
			done.whenComplete((ignored, failure) -> this.pendingWrites.remove(done));
		}
		return write;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	@Nullable Validator validator() {
		return this.validator;
	}

	CallScope callScope() {
		return this.callScope;
	}

	ResultAdapter resultAdapter() {
		return this.resultAdapter;
	}

	Listeners listeners() {
		return this.listeners;
	}

	@Nullable PikkuException clientError(Throwable exception) {
		for (ErrorTranslator translator : this.errorTranslators) {
			PikkuException error = translator.translate(exception);
			if (error != null) {
				return error;
			}
		}
		return Errors.toClientError(exception);
	}

	ObjectNode errorNode(io.pikku.channel.PikkuException error) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("code", error.getCode());
		node.put("message", error.getMessage());
		if (error.getDetails() != null) {
			node.set("details", this.mapper.valueToTree(error.getDetails()));
		}
		return node;
	}

	JsonNode tree(@Nullable Object value) {
		return this.mapper.valueToTree(value);
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
