package io.pikku.apidocs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.pikku.channel.Docs;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an {@link ApiDescription} as an AsyncAPI 3.0.0 document.
 *
 * <ul>
 * <li>One channel per channel definition: its {@code address} is the route,
 * {@code parameters} its path variables, and the {@code ws} binding's {@code query} the
 * opening data other than path variables.</li>
 * <li>Per action, a {@code receive} operation whose request message is the input with the
 * routing property as a constant and the optional correlation id, and whose {@code reply}
 * is the reply message (the output with the routing property) or the error message
 * ({@code code} one of the codes the action can answer, {@code details} typed per code).
 * Operations that need a session carry the security schemes.</li>
 * <li>Per topic, a {@code send} operation with a message per payload type; the
 * {@code onConnect} reply and the errors that answer no call are {@code send} operations
 * too.</li>
 * </ul>
 */
public final class AsyncApiWriter {

	/** The AsyncAPI version written. */
	public static final String VERSION = "3.0.0";

	private static final String BEARER = "bearer";

	private static final String ACCESS_TOKEN = "accessToken";

	private final JsonMapper mapper;

	/**
	 * A writer.
	 * @param jsonMapper the mapper that makes the document's nodes and writes them
	 */
	public AsyncApiWriter(JsonMapper jsonMapper) {
		this.mapper = jsonMapper;
	}

	/**
	 * The AsyncAPI document.
	 * @param description the API description
	 * @param servers the servers, possibly none
	 * @return the document
	 */
	public ObjectNode write(ApiDescription description, List<ApiServer> servers) {
		ObjectNode document = this.mapper.createObjectNode();
		document.put("asyncapi", VERSION);
		ObjectNode info = document.putObject("info");
		info.put("title", description.info().title()).put("version", description.info().version());
		putIfText(info, "description", description.info().description());
		if (!servers.isEmpty()) {
			ObjectNode serversNode = document.putObject("servers");
			for (ApiServer server : servers) {
				ObjectNode node = serversNode.putObject(server.name());
				node.put("host", server.host()).put("protocol", server.protocol());
				if (!server.pathname().isEmpty()) {
					node.put("pathname", server.pathname());
				}
			}
		}
		document.put("defaultContentType", "application/json");
		ObjectNode channels = document.putObject("channels");
		ObjectNode operations = document.putObject("operations");
		ObjectNode components = document.putObject("components");
		ObjectNode schemas = components.set("schemas", description.schemas());
		ObjectNode messages = components.putObject("messages");
		Keys channelKeys = new Keys();
		for (ApiChannel channel : description.channels()) {
			new ChannelWriter(description, channel, channelKeys.unique(channel.name()), channels, operations, messages)
				.write();
		}
		components.putObject("correlationIds")
			.putObject("correlationId")
			.put("description", "Echoed on the reply or error of the call that sent it")
			.put("location", "$message.payload#/" + pointer(description.correlationField()));
		ObjectNode security = components.putObject("securitySchemes");
		security.putObject(BEARER)
			.put("type", "http")
			.put("scheme", "bearer")
			.put("description", "A token in the Authorization header of the WebSocket handshake, checked by "
					+ "Spring Security: the session of every call on the connection");
		security.putObject(ACCESS_TOKEN)
			.put("type", "httpApiKey")
			.put("name", "access_token")
			.put("in", "query")
			.put("description", "The same token as a query parameter, for browsers (which cannot set headers on "
					+ "a WebSocket), where the application's resource server accepts it");
		if (schemas.isEmpty()) {
			components.remove("schemas");
		}
		return document;
	}

	/**
	 * The document as JSON.
	 * @param document the document
	 * @return pretty-printed JSON, ending with a new line
	 */
	public String toJson(ObjectNode document) {
		return this.mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document) + "\n";
	}

	/**
	 * Whether the document can be written as YAML: Jackson's YAML module is on the class
	 * path.
	 * @return {@code true} if {@link #toYaml(ObjectNode)} works
	 */
	public static boolean yamlAvailable() {
		return Yaml.AVAILABLE;
	}

	/**
	 * The document as YAML.
	 * @param document the document
	 * @return YAML
	 * @throws IllegalStateException if Jackson's YAML module is not on the class path
	 */
	public String toYaml(ObjectNode document) {
		if (!Yaml.AVAILABLE) {
			throw new IllegalStateException("Writing YAML needs Jackson's YAML module "
					+ "(tools.jackson.dataformat:jackson-dataformat-yaml) on the class path");
		}
		return Yaml.write(document);
	}

	private static String pointer(String field) {
		return field.replace("~", "~0").replace("/", "~1");
	}

	private static void putIfText(ObjectNode node, String field, @Nullable String text) {
		if (text != null && !text.isBlank()) {
			node.put(field, text);
		}
	}

	private void putDocs(ObjectNode node, Docs docs) {
		putIfText(node, "summary", docs.summary());
		putIfText(node, "description", docs.description());
		if (!docs.tags().isEmpty()) {
			ArrayNode tags = node.putArray("tags");
			docs.tags().forEach((tag) -> tags.addObject().put("name", tag));
		}
	}

	private final class ChannelWriter {

		private final ApiDescription description;

		private final ApiChannel channel;

		private final String key;

		private final ObjectNode operations;

		private final ObjectNode componentMessages;

		private final ObjectNode node;

		private final ObjectNode messages;

		private final Keys messageKeys = new Keys();

		private final Keys operationKeys;

		ChannelWriter(ApiDescription description, ApiChannel channel, String key, ObjectNode channels,
				ObjectNode operations, ObjectNode componentMessages) {
			this.description = description;
			this.channel = channel;
			this.key = key;
			this.operations = operations;
			this.componentMessages = componentMessages;
			this.node = channels.putObject(key);
			this.messages = AsyncApiWriter.this.mapper.createObjectNode();
			this.operationKeys = new Keys(operations);
		}

		void write() {
			this.node.put("address", this.channel.route()).put("title", this.channel.name());
			putDocs(this.node, this.channel.docs());
			this.node.set("messages", this.messages);
			writeParameters();
			ObjectNode ws = this.node.putObject("bindings").putObject("ws");
			ws.put("method", "GET");
			ws.set("query", querySchema());
			ws.put("bindingVersion", "0.1.0");
			for (ApiAction action : this.channel.actions()) {
				writeAction(action);
			}
			if (this.channel.defaultHandler() != null) {
				writeAction(this.channel.defaultHandler());
			}
			if (this.channel.connect() != null) {
				writeConnect(this.channel.connect());
			}
			for (ApiTopic topic : this.channel.topics()) {
				writeTopic(topic);
			}
			writeChannelErrors();
		}

		private void writeParameters() {
			if (this.channel.pathVariables().isEmpty()) {
				return;
			}
			ObjectNode parameters = this.node.putObject("parameters");
			JsonNode properties = this.description.resolve(this.channel.openingData().schema()).path("properties");
			for (String variable : this.channel.pathVariables()) {
				ObjectNode parameter = parameters.putObject(variable);
				JsonNode property = properties.path(variable);
				StringBuilder text = new StringBuilder("Path variable '" + variable + "' of the opening data");
				List<String> constraints = constraints(property);
				if (!constraints.isEmpty()) {
					text.append(": ").append(String.join(", ", constraints));
				}
				parameter.put("description", text.toString());
				if (property.has("enum")) {
					ArrayNode values = parameter.putArray("enum");
					property.get("enum").forEach((value) -> values.add(value.asString()));
				}
			}
		}

		private List<String> constraints(JsonNode property) {
			List<String> constraints = new ArrayList<>();
			if (property.has("pattern")) {
				constraints.add("matches " + property.get("pattern").asString());
			}
			if (property.has("minLength")) {
				constraints.add("at least " + property.get("minLength").asInt() + " characters");
			}
			if (property.has("maxLength")) {
				constraints.add("at most " + property.get("maxLength").asInt() + " characters");
			}
			if (property.has("minimum")) {
				constraints.add("at least " + property.get("minimum").asString());
			}
			if (property.has("maximum")) {
				constraints.add("at most " + property.get("maximum").asString());
			}
			return constraints;
		}

		private ObjectNode querySchema() {
			JsonNode openingData = this.description.resolve(this.channel.openingData().schema());
			ObjectNode query = AsyncApiWriter.this.mapper.createObjectNode().put("type", "object");
			ObjectNode properties = query.putObject("properties");
			openingData.path("properties").properties().forEach((entry) -> {
				if (!this.channel.pathVariables().contains(entry.getKey())) {
					properties.set(entry.getKey(), entry.getValue().deepCopy());
				}
			});
			ArrayNode required = AsyncApiWriter.this.mapper.createArrayNode();
			openingData.path("required").forEach((name) -> {
				if (!this.channel.pathVariables().contains(name.asString())) {
					required.add(name);
				}
			});
			if (!required.isEmpty()) {
				query.set("required", required);
			}
			if (openingData.has("additionalProperties")) {
				query.set("additionalProperties", openingData.get("additionalProperties").deepCopy());
			}
			return query;
		}

		private void writeAction(ApiAction action) {
			String routing = action.routingProperty();
			String name = action.isDefaultHandler() ? "onMessage"
					: (routing.equals(this.channel.routingProperties().get(0)) ? action.name()
							: routing + "." + action.name());
			String messageBase = this.messageKeys.unique(name);
			String title = action.isDefaultHandler() ? "Default handler" : routing + " " + action.name();
			ObjectNode request = message(messageBase + ".request", title + ": call", action.docs());
			request.set("payload", requestPayload(action));
			request.putObject("correlationId").put("$ref", "#/components/correlationIds/correlationId");
			ObjectNode reply = message(messageBase + ".reply", title + ": reply", Docs.NONE);
			reply.set("payload", replyPayload(action));
			reply.putObject("correlationId").put("$ref", "#/components/correlationIds/correlationId");
			ObjectNode error = message(messageBase + ".error", title + ": error", Docs.NONE);
			error.set("payload", errorFrame(routing, action.name(), action.errors(), true));
			error.putObject("correlationId").put("$ref", "#/components/correlationIds/correlationId");
			ObjectNode operation = this.operations.putObject(this.operationKeys.unique(this.key + "." + name));
			operation.put("action", "receive");
			operation.putObject("channel").put("$ref", channelRef());
			operation.put("title", title);
			putDocs(operation, action.docs());
			if (action.auth()) {
				ArrayNode security = operation.putArray("security");
				security.addObject().put("$ref", "#/components/securitySchemes/" + BEARER);
				security.addObject().put("$ref", "#/components/securitySchemes/" + ACCESS_TOKEN);
			}
			operation.putArray("messages").addObject().put("$ref", messageRef(messageBase + ".request"));
			ObjectNode operationReply = operation.putObject("reply");
			operationReply.putObject("channel").put("$ref", channelRef());
			ArrayNode replies = operationReply.putArray("messages");
			replies.addObject().put("$ref", messageRef(messageBase + ".reply"));
			replies.addObject().put("$ref", messageRef(messageBase + ".error"));
		}

		private JsonNode requestPayload(ApiAction action) {
			if (action.isDefaultHandler()) {
				return action.input().schema().deepCopy();
			}
			ObjectNode frame = frame(action.routingProperty(), action.name(), true);
			if (action.input().kind() == ApiType.Kind.NONE) {
				return frame;
			}
			return allOf(action.input().schema(), frame);
		}

		private JsonNode replyPayload(ApiAction action) {
			if (action.isDefaultHandler()) {
				return action.output().schema().deepCopy();
			}
			ObjectNode frame = frame(action.routingProperty(), action.name(), true);
			return switch (action.output().kind()) {
				case NONE, ANY -> frame;
				case OBJECT -> allOf(action.output().schema(), frame);
				case VALUE -> {
					((ObjectNode) frame.get("properties")).set("result", action.output().schema().deepCopy());
					((ArrayNode) frame.get("required")).add("result");
					yield frame;
				}
			};
		}

		private ObjectNode frame(@Nullable String routingProperty, @Nullable String action, boolean correlated) {
			ObjectNode frame = AsyncApiWriter.this.mapper.createObjectNode().put("type", "object");
			ObjectNode properties = frame.putObject("properties");
			ArrayNode required = frame.putArray("required");
			if (routingProperty != null && action != null) {
				properties.putObject(routingProperty).put("const", action).put("description", "The routing property");
				required.add(routingProperty);
			}
			if (correlated) {
				ObjectNode correlation = properties.putObject(this.description.correlationField());
				correlation.putArray("type").add("string").add("number");
				correlation.put("description", "Optional: echoed on the reply or error of this call only");
			}
			return frame;
		}

		private ObjectNode allOf(JsonNode schema, ObjectNode frame) {
			ObjectNode node = AsyncApiWriter.this.mapper.createObjectNode();
			node.putArray("allOf").add(schema.deepCopy()).add(frame);
			return node;
		}

		private ObjectNode errorFrame(@Nullable String routingProperty, @Nullable String action, List<ApiError> errors,
				boolean correlated) {
			ObjectNode frame = frame(routingProperty, action, correlated);
			if (routingProperty == null && !correlated) {
				for (String property : this.channel.routingProperties()) {
					((ObjectNode) frame.get("properties")).putObject(property)
						.put("description", "The routing property, if the frame had one, as sent");
				}
			}
			((ObjectNode) frame.get("properties")).set("error", errorSchema(errors));
			((ArrayNode) frame.get("required")).add("error");
			return frame;
		}

		private ObjectNode errorSchema(List<ApiError> errors) {
			ObjectNode error = AsyncApiWriter.this.mapper.createObjectNode().put("type", "object");
			ObjectNode properties = error.putObject("properties");
			ObjectNode code = properties.putObject("code").put("type", "string");
			ArrayNode codes = code.putArray("enum");
			errors.forEach((each) -> codes.add(each.code()));
			properties.putObject("message").put("type", "string");
			properties.putObject("details").put("description", "Depends on the code");
			error.putArray("required").add("code").add("message");
			ArrayNode oneOf = error.putArray("oneOf");
			for (ApiError each : errors) {
				ObjectNode branch = oneOf.addObject();
				branch.put("description", each.description());
				ObjectNode branchProperties = branch.putObject("properties");
				branchProperties.putObject("code").put("const", each.code());
				if (each.details() != null) {
					branchProperties.set("details", each.details().deepCopy());
					if (each.detailsAlways()) {
						branch.putArray("required").add("details");
					}
				}
			}
			return error;
		}

		private void writeConnect(ApiType connect) {
			String messageKey = this.messageKeys.unique("onConnect");
			ObjectNode message = message(messageKey, "onConnect: first message", Docs.NONE);
			message.set("payload", connect.schema().deepCopy());
			ObjectNode operation = this.operations.putObject(this.operationKeys.unique(this.key + ".onConnect"));
			operation.put("action", "send");
			operation.putObject("channel").put("$ref", channelRef());
			operation.put("title", "onConnect");
			operation.put("summary", "Sent first, when a connection opens");
			operation.putArray("messages").addObject().put("$ref", messageRef(messageKey));
		}

		private void writeTopic(ApiTopic topic) {
			String base = this.messageKeys.unique("topic." + topic.name());
			ObjectNode operation = this.operations.putObject(this.operationKeys.unique(this.key + "." + base));
			operation.put("action", "send");
			operation.putObject("channel").put("$ref", channelRef());
			operation.put("title", "Topic " + topic.name());
			putDocs(operation, topic.docs());
			if (topic.docs().description() == null && !topic.freeVariables().isEmpty()) {
				List<String> free = new ArrayList<>();
				topic.freeVariables().forEach((name, text) -> free.add("{" + name + "}: " + text));
				operation.put("description", String.join("; ", free));
			}
			ArrayNode operationMessages = operation.putArray("messages");
			int index = 0;
			for (ApiType payload : topic.payloads()) {
				String messageKey = (topic.payloads().size() == 1) ? base
						: this.messageKeys.unique(base + "." + payloadName(payload, ++index));
				ObjectNode message = message(messageKey, "Delivery on " + topic.name(), topic.docs());
				message.set("payload", delivery(topic, payload));
				operationMessages.addObject().put("$ref", messageRef(messageKey));
			}
		}

		private String payloadName(ApiType payload, int index) {
			JsonNode ref = payload.schema().get("$ref");
			if (ref != null && ref.asString().startsWith(SchemaCatalog.PREFIX)) {
				return ref.asString().substring(SchemaCatalog.PREFIX.length());
			}
			return String.valueOf(index);
		}

		private JsonNode delivery(ApiTopic topic, ApiType payload) {
			ObjectNode frame = AsyncApiWriter.this.mapper.createObjectNode().put("type", "object");
			ObjectNode properties = frame.putObject("properties");
			ObjectNode topicProperty = properties.putObject("topic").put("type", "string");
			if (topic.variables().isEmpty()) {
				topicProperty.put("const", topic.name());
			}
			else {
				topicProperty.put("pattern", topicPattern(topic.name()));
			}
			ArrayNode required = frame.putArray("required").add("topic");
			switch (payload.kind()) {
				case OBJECT -> {
					return allOf(payload.schema(), frame);
				}
				case VALUE -> {
					properties.set("data", payload.schema().deepCopy());
					required.add("data");
					return frame;
				}
				default -> {
					frame.put("description",
							"An object payload with its fields beside topic, or any other " + "payload in data");
					return frame;
				}
			}
		}

		private void writeChannelErrors() {
			String messageKey = this.messageKeys.unique("error");
			ObjectNode message = message(messageKey, "Error outside any call", Docs.NONE);
			message.put("summary", "An error that answers no call: a frame that is not JSON, too large, "
					+ "names no action, or an onConnect that failed");
			message.set("payload", errorFrame(null, null, this.channel.errors(), false));
			ObjectNode operation = this.operations.putObject(this.operationKeys.unique(this.key + ".error"));
			operation.put("action", "send");
			operation.putObject("channel").put("$ref", channelRef());
			operation.put("title", "Errors outside calls");
			operation.putArray("messages").addObject().put("$ref", messageRef(messageKey));
		}

		private ObjectNode message(String messageKey, String title, Docs docs) {
			String componentKey = this.key + "." + messageKey;
			ObjectNode message = this.componentMessages.putObject(componentKey);
			message.put("name", componentKey).put("title", title);
			putDocs(message, docs);
			this.messages.putObject(messageKey).put("$ref", "#/components/messages/" + componentKey);
			return message;
		}

		private String channelRef() {
			return "#/channels/" + this.key;
		}

		private String messageRef(String messageKey) {
			return channelRef() + "/messages/" + messageKey;
		}

	}

	/**
	 * A regular expression for the topic names a pattern stands for.
	 * @param pattern a topic pattern such as {@code room:{room}}
	 * @return e.g. {@code ^room:.+$}
	 */
	static String topicPattern(String pattern) {
		return "^" + ApiTopic.render(pattern, AsyncApiWriter::quote, (variable) -> ".+") + "$";
	}

	private static String quote(String literal) {
		StringBuilder quoted = new StringBuilder();
		for (char c : literal.toCharArray()) {
			if ("\\^$.|?*+()[]{}/-".indexOf(c) >= 0) {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		return quoted.toString();
	}

	/**
	 * Keys of the document's maps: letters, digits, {@code .}, {@code -} and {@code _}
	 * (what AsyncAPI allows), unique within their map.
	 */
	static final class Keys {

		private static final Pattern INVALID = Pattern.compile("[^A-Za-z0-9._-]");

		private final Set<String> taken = new HashSet<>();

		Keys() {
		}

		Keys(ObjectNode existing) {
			for (Iterator<String> names = existing.propertyNames().iterator(); names.hasNext();) {
				this.taken.add(names.next());
			}
		}

		String unique(String name) {
			String key = INVALID.matcher(name.replace(":", ".").replace("{", "").replace("}", "")).replaceAll("_");
			String unique = key;
			for (int i = 2; !this.taken.add(unique); i++) {
				unique = key + "_" + i;
			}
			return unique;
		}

	}

	/** Jackson's YAML module, when present. */
	private static final class Yaml {

		static final boolean AVAILABLE = present("tools.jackson.dataformat.yaml.YAMLMapper");

		private static boolean present(String className) {
			try {
				Class.forName(className, false, AsyncApiWriter.class.getClassLoader());
				return true;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return false;
			}
		}

		static String write(JsonNode document) {
			return tools.jackson.dataformat.yaml.YAMLMapper.builder().build().writeValueAsString(document);
		}

	}

}
