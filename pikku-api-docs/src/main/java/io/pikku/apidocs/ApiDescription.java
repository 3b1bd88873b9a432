package io.pikku.apidocs;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.DeclaredError;
import io.pikku.channel.Docs;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.TopicDefinition;
import io.pikku.channel.runtime.ActionDescription;
import io.pikku.channel.runtime.ChannelDescription;
import io.pikku.channel.runtime.ChannelSettings;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the channels offer on the wire, built from their definitions as the runtime
 * resolves them: actions with their input, output and error types, topics with their
 * payloads, and JSON Schemas of every type. It is the one model behind the AsyncAPI
 * document ({@link AsyncApiWriter}) and the TypeScript client
 * ({@link io.pikku.apidocs.typescript.TypeScriptClientWriter}).
 *
 * <pre class="code">
 * ApiDescription description = ApiDescription.builder(runtime.describe(), runtime.settings(), jsonMapper)
 *     .info(new ApiInfo("Chat", "1.0.0", null))
 *     .build();
 * ObjectNode asyncApi = new AsyncApiWriter(jsonMapper).write(description, servers);
 * </pre>
 */
public final class ApiDescription {

	/** The schema of one {@code validation_failed} detail. */
	public static final String FIELD_ERROR = "PikkuFieldError";

	/** The schema of {@code rate_limited} details. */
	public static final String RETRY_AFTER = "PikkuRetryAfter";

	/** The schema of {@code too_large} and {@code limit_exceeded} details. */
	public static final String LIMIT = "PikkuLimit";

	private final ApiInfo info;

	private final String correlationField;

	private final List<ApiChannel> channels;

	private final ObjectNode schemas;

	private final Function<JsonNode, JsonNode> resolver;

	private ApiDescription(ApiInfo info, String correlationField, List<ApiChannel> channels, ObjectNode schemas,
			Function<JsonNode, JsonNode> resolver) {
		this.info = info;
		this.correlationField = correlationField;
		this.channels = List.copyOf(channels);
		this.schemas = schemas;
		this.resolver = resolver;
	}

	/**
	 * Starts a description of the given channels.
	 * @param channels the channels, as
	 * {@link io.pikku.channel.runtime.ChannelRuntime#describe()} gives them
	 * @param settings the runtime's settings (correlation field, default routing
	 * property)
	 * @param jsonMapper the application's JSON mapper, whose view of the types the
	 * schemas follow
	 * @return a builder
	 */
	public static Builder builder(List<ChannelDescription> channels, ChannelSettings settings, JsonMapper jsonMapper) {
		return new Builder(channels, settings, jsonMapper);
	}

	/**
	 * What the description says about the application.
	 * @return the info
	 */
	public ApiInfo info() {
		return this.info;
	}

	/**
	 * The field a call's correlation id travels in.
	 * @return the correlation field, {@code correlationId} by default
	 */
	public String correlationField() {
		return this.correlationField;
	}

	/**
	 * The channels, in registration order.
	 * @return the channels
	 */
	public List<ApiChannel> channels() {
		return this.channels;
	}

	/**
	 * The named JSON Schemas that the types refer to ({@code #/components/schemas/Name}).
	 * @return a copy of the schemas, by name
	 */
	public ObjectNode schemas() {
		return this.schemas.deepCopy();
	}

	/**
	 * A schema with a reference to a named schema replaced by it.
	 * @param schema a schema of this description
	 * @return the named schema it refers to, or the schema itself
	 */
	public JsonNode resolve(JsonNode schema) {
		return this.resolver.apply(schema);
	}

	/**
	 * Builds an {@link ApiDescription}.
	 */
	public static final class Builder {

		private final List<ChannelDescription> channels;

		private final ChannelSettings settings;

		private final JsonMapper mapper;

		private ApiInfo info = new ApiInfo("Pikku channels", "1.0.0", null);

		private FunctionOutputTypes outputTypes = FunctionOutputTypes.NONE;

		private final List<TopicDefinition> topics = new ArrayList<>();

		private Builder(List<ChannelDescription> channels, ChannelSettings settings, JsonMapper mapper) {
			this.channels = List.copyOf(channels);
			this.settings = Objects.requireNonNull(settings, "settings");
			this.mapper = Objects.requireNonNull(mapper, "jsonMapper");
		}

		/**
		 * The title, version and description of the API.
		 * @param info the info
		 * @return this builder
		 */
		public Builder info(ApiInfo info) {
			this.info = Objects.requireNonNull(info, "info");
			return this;
		}

		/**
		 * What functions answer where they do not say it themselves.
		 * @param outputTypes the output types, e.g. read from {@code @Bean} methods
		 * @return this builder
		 */
		public Builder outputTypes(FunctionOutputTypes outputTypes) {
			this.outputTypes = Objects.requireNonNull(outputTypes, "outputTypes");
			return this;
		}

		/**
		 * Topics declared outside the channels (as beans), each naming its channels.
		 * @param topics the topics
		 * @return this builder
		 */
		public Builder topics(Collection<TopicDefinition> topics) {
			this.topics.addAll(topics);
			return this;
		}

		/**
		 * Builds the description.
		 * @return the description
		 * @throws IllegalStateException if a topic names an unknown channel or variable,
		 * or a declared type is one Jackson cannot write
		 */
		public ApiDescription build() {
			Map<String, List<TopicDefinition>> beanTopics = beanTopics();
			List<Type> inputTypes = new ArrayList<>();
			for (ChannelDescription channel : this.channels) {
				Class<?> openingData = channel.definition().openingDataType();
				if (!Map.class.isAssignableFrom(openingData)) {
					inputTypes.add(openingData);
				}
				for (ActionDescription action : actions(channel)) {
					if (described(action.function().inputType())) {
						inputTypes.add(action.function().inputType());
					}
				}
			}
			SchemaCatalog catalog = new SchemaCatalog(this.mapper, inputTypes);
			List<Supplier<ApiChannel>> drafts = new ArrayList<>();
			for (ChannelDescription channel : this.channels) {
				drafts.add(draft(catalog, channel, beanTopics.getOrDefault(channel.name(), List.of())));
			}
			ObjectNode schemas = catalog.complete();
			addErrorSchemas(schemas);
			List<ApiChannel> built = drafts.stream().map(Supplier::get).toList();
			return new ApiDescription(this.info, this.settings.correlationField(), built, schemas, catalog::resolve);
		}

		private Map<String, List<TopicDefinition>> beanTopics() {
			Map<String, ChannelDescription> byName = new LinkedHashMap<>();
			this.channels.forEach((channel) -> byName.put(channel.name(), channel));
			Map<String, List<TopicDefinition>> topics = new LinkedHashMap<>();
			for (TopicDefinition topic : this.topics) {
				if (topic.channels().isEmpty()) {
					throw new IllegalStateException("Topic bean '" + topic.name()
							+ "' names no channel: add channels(..) with the channels whose connections receive it");
				}
				for (String name : topic.channels()) {
					ChannelDescription channel = byName.get(name);
					if (channel == null) {
						throw new IllegalStateException("Topic bean '" + topic.name() + "' names channel '" + name
								+ "', which is not one of the channels " + byName.keySet());
					}
					try {
						topic.requireKnownVariables(channel.definition());
					}
					catch (IllegalArgumentException ex) {
						throw new IllegalStateException(ex.getMessage(), ex);
					}
					topics.computeIfAbsent(name, (key) -> new ArrayList<>()).add(topic);
				}
			}
			return topics;
		}

		private static List<ActionDescription> actions(ChannelDescription channel) {
			List<ActionDescription> actions = new ArrayList<>(channel.actions());
			if (channel.defaultHandler() != null) {
				actions.add(channel.defaultHandler());
			}
			return actions;
		}

		private Supplier<ApiChannel> draft(SchemaCatalog catalog, ChannelDescription channel,
				List<TopicDefinition> beanTopics) {
			ChannelDefinition<?> definition = channel.definition();
			String where = "Channel '" + channel.name() + "'";
			Supplier<ApiType> openingData = Map.class.isAssignableFrom(definition.openingDataType())
					? () -> new ApiType(ApiType.Kind.OBJECT, stringMapSchema())
					: input(catalog, definition.openingDataType());
			List<Supplier<ApiAction>> actions = new ArrayList<>();
			for (ActionDescription action : channel.actions()) {
				actions.add(action(catalog, action, where + ", action '" + action.name() + "'"));
			}
			Supplier<ApiAction> defaultHandler = (channel.defaultHandler() != null)
					? action(catalog, channel.defaultHandler(), where + ", default handler") : null;
			Supplier<ApiType> connect = null;
			if (definition.onConnect() != null) {
				connect = output(catalog, definition.onConnectReplyType(), where + " has onConnect reply type");
			}
			List<Supplier<ApiTopic>> topics = topics(catalog, channel, beanTopics);
			List<ApiError> errors = channelErrors(channel);
			Supplier<ApiType> connectType = connect;
			return () -> new ApiChannel(channel.name(), definition.route(), definition.docs(), channel.pathVariables(),
					openingData.get(), channel.auth(), channel.routingProperties(),
					actions.stream().map(Supplier::get).toList(),
					(defaultHandler != null) ? defaultHandler.get() : null,
					(connectType != null) ? connectType.get() : null, topics.stream().map(Supplier::get).toList(),
					errors);
		}

		private List<Supplier<ApiTopic>> topics(SchemaCatalog catalog, ChannelDescription channel,
				List<TopicDefinition> beanTopics) {
			Map<String, List<TopicDefinition>> byName = new LinkedHashMap<>();
			List<TopicDefinition> all = new ArrayList<>(channel.definition().topics());
			all.addAll(beanTopics);
			for (TopicDefinition topic : all) {
				byName.computeIfAbsent(topic.name(), (key) -> new ArrayList<>()).add(topic);
			}
			List<Supplier<ApiTopic>> topics = new ArrayList<>();
			byName.forEach((name, declarations) -> {
				List<Supplier<ApiType>> payloads = new ArrayList<>();
				Set<Type> seen = new LinkedHashSet<>();
				String summary = null;
				String description = null;
				Map<String, String> freeVariables = new LinkedHashMap<>();
				for (TopicDefinition topic : declarations) {
					if (seen.add(topic.payloadType())) {
						payloads.add(output(catalog, topic.payloadType(),
								"Topic '" + name + "' of channel '" + channel.name() + "' has payload type"));
					}
					summary = (summary != null) ? summary : topic.docs().summary();
					description = (description != null) ? description : topic.docs().description();
					topic.freeVariables().forEach(freeVariables::putIfAbsent);
				}
				Docs docs = new Docs(summary, description, List.of());
				List<String> variables = declarations.get(0).variables();
				topics.add(() -> new ApiTopic(name, variables, freeVariables, docs,
						payloads.stream().map(Supplier::get).toList()));
			});
			return topics;
		}

		private Supplier<ApiAction> action(SchemaCatalog catalog, ActionDescription action, String where) {
			PikkuFunction<?, ?> function = action.function();
			Supplier<ApiType> input = input(catalog, function.inputType());
			Type outputType = (function.outputType() != null) ? function.outputType()
					: this.outputTypes.outputType(function);
			Supplier<ApiType> output = output(catalog, outputType, where + " answers");
			Map<String, Supplier<ApiError>> errors = new LinkedHashMap<>();
			if (action.rateLimit() != null) {
				errors.put(ChannelErrorCodes.RATE_LIMITED, () -> RUNTIME_ERRORS.get(ChannelErrorCodes.RATE_LIMITED));
			}
			if (action.auth()) {
				errors.put(ChannelErrorCodes.UNAUTHORIZED, () -> RUNTIME_ERRORS.get(ChannelErrorCodes.UNAUTHORIZED));
			}
			if (described(function.inputType())) {
				errors.put(ChannelErrorCodes.VALIDATION_FAILED,
						() -> RUNTIME_ERRORS.get(ChannelErrorCodes.VALIDATION_FAILED));
			}
			if (!action.permissions().isEmpty()) {
				errors.put(ChannelErrorCodes.FORBIDDEN, () -> RUNTIME_ERRORS.get(ChannelErrorCodes.FORBIDDEN));
			}
			for (DeclaredError declared : function.errors()) {
				errors.put(declared.code(), declared(catalog, declared, where));
			}
			errors.putIfAbsent(ChannelErrorCodes.INTERNAL, () -> RUNTIME_ERRORS.get(ChannelErrorCodes.INTERNAL));
			return () -> new ApiAction(action.routingProperty(), action.name(), function.docs(), action.auth(),
					input.get(), output.get(), errors.values().stream().map(Supplier::get).toList());
		}

		private Supplier<ApiError> declared(SchemaCatalog catalog, DeclaredError declared, String where) {
			ApiError runtime = RUNTIME_ERRORS.get(declared.code());
			if (declared.detailsType() == null) {
				return () -> (runtime != null) ? runtime
						: new ApiError(declared.code(), "Raised by the function", null, false);
			}
			Supplier<ApiType> details = output(catalog, declared.detailsType(),
					where + " declares error '" + declared.code() + "' whose details are");
			return () -> new ApiError(declared.code(),
					(runtime != null) ? runtime.description() : "Raised by the function", details.get().schema(), true);
		}

		private List<ApiError> channelErrors(ChannelDescription channel) {
			List<String> codes = new ArrayList<>(List.of(ChannelErrorCodes.INVALID_JSON,
					ChannelErrorCodes.UNKNOWN_ACTION, ChannelErrorCodes.TOO_LARGE));
			if (channel.definition().onBinary() == null) {
				codes.add(ChannelErrorCodes.UNSUPPORTED_FRAME);
			}
			if (channel.rateLimit() != null) {
				codes.add(ChannelErrorCodes.RATE_LIMITED);
			}
			if (channel.definition().onConnect() != null) {
				codes.add(ChannelErrorCodes.INTERNAL);
			}
			return codes.stream().map(RUNTIME_ERRORS::get).toList();
		}

		private static boolean described(Type type) {
			return type != Void.class && type != void.class
					&& !(type instanceof Class<?> raw && (JsonNode.class.isAssignableFrom(raw) || raw == Object.class));
		}

		private Supplier<ApiType> input(SchemaCatalog catalog, Type type) {
			if (type == Void.class || type == void.class) {
				return () -> ApiType.NONE;
			}
			if (!described(type)) {
				return () -> ApiType.ANY;
			}
			ObjectNode schema = catalog.reference(type);
			return () -> new ApiType(catalog.kind(schema), schema);
		}

		private Supplier<ApiType> output(SchemaCatalog catalog, @Nullable Type type, String what) {
			if (type == null) {
				return () -> ApiType.ANY;
			}
			if (type == Void.class || type == void.class) {
				return () -> ApiType.NONE;
			}
			if (!described(type)) {
				return () -> ApiType.ANY;
			}
			catalog.requireWritable(type, what);
			ObjectNode schema = catalog.reference(type);
			return () -> new ApiType(catalog.kind(schema), schema);
		}

		private ObjectNode stringMapSchema() {
			ObjectNode schema = this.mapper.createObjectNode().put("type", "object");
			schema.putObject("additionalProperties").put("type", "string");
			return schema;
		}

		private void addErrorSchemas(ObjectNode schemas) {
			for (String name : List.of(FIELD_ERROR, RETRY_AFTER, LIMIT)) {
				if (schemas.has(name)) {
					throw new IllegalStateException("A type of the channels has the name " + name
							+ ", which the API description keeps for the runtime's error details: rename it");
				}
			}
			ObjectNode fieldError = schemas.putObject(FIELD_ERROR)
				.put("type", "object")
				.put("description", "One problem of a validation_failed error");
			ObjectNode properties = fieldError.putObject("properties");
			properties.putObject("field")
				.put("type", "string")
				.put("description", "The path of the field, e.g. text or items[0].name; absent for the whole input");
			properties.putObject("message").put("type", "string").put("description", "What is wrong with it");
			fieldError.putArray("required").add("message");
			ObjectNode retryAfter = schemas.putObject(RETRY_AFTER)
				.put("type", "object")
				.put("description", "When a rate_limited call may be retried");
			retryAfter.putObject("properties")
				.putObject("retryAfterMs")
				.put("type", "integer")
				.put("minimum", 1)
				.put("description", "Milliseconds to wait before the next call");
			retryAfter.putArray("required").add("retryAfterMs");
			ObjectNode limit = schemas.putObject(LIMIT).put("type", "object").put("description", "The limit reached");
			limit.putObject("properties").putObject("limit").put("type", "integer");
			limit.putArray("required").add("limit");
		}

	}

	private static final Map<String, ApiError> RUNTIME_ERRORS = runtimeErrors();

	private static Map<String, ApiError> runtimeErrors() {
		Map<String, ApiError> errors = new LinkedHashMap<>();
		ObjectNode fieldErrors = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", "array");
		fieldErrors.putObject("items").put("$ref", SchemaCatalog.PREFIX + FIELD_ERROR);
		ObjectNode retryAfter = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
			.put("$ref", SchemaCatalog.PREFIX + RETRY_AFTER);
		ObjectNode limit = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()
			.put("$ref", SchemaCatalog.PREFIX + LIMIT);
		add(errors, ChannelErrorCodes.INVALID_JSON, "The frame is not JSON", null, false);
		add(errors, ChannelErrorCodes.UNKNOWN_ACTION,
				"The routing property names no wired action, or the frame has none and the channel no default handler",
				null, false);
		add(errors, ChannelErrorCodes.TOO_LARGE,
				"The frame is larger than the server accepts, or past its JSON limits (e.g. nesting depth)", limit,
				false);
		add(errors, ChannelErrorCodes.UNSUPPORTED_FRAME, "A binary frame on a channel that accepts text only", null,
				false);
		add(errors, ChannelErrorCodes.RATE_LIMITED, "The connection sends faster than it may", retryAfter, true);
		add(errors, ChannelErrorCodes.UNAUTHORIZED, "The call needs a session and the connection has none", null,
				false);
		add(errors, ChannelErrorCodes.VALIDATION_FAILED, "The input does not bind or fails Bean Validation",
				fieldErrors, true);
		add(errors, ChannelErrorCodes.FORBIDDEN, "The session may not make this call", null, false);
		add(errors, ChannelErrorCodes.NOT_FOUND, "What the call refers to does not exist", null, false);
		add(errors, ChannelErrorCodes.LIMIT_EXCEEDED, "A per-connection limit is reached, e.g. of subscriptions", limit,
				true);
		add(errors, ChannelErrorCodes.INTERNAL, "The server failed; the detail is in its log", null, false);
		return errors;
	}

	private static void add(Map<String, ApiError> errors, String code, String description, @Nullable JsonNode details,
			boolean always) {
		errors.put(code, new ApiError(code, description, details, always));
	}

}
