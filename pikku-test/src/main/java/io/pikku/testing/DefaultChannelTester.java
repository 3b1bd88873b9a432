package io.pikku.testing;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.QueryParameters;
import io.pikku.client.PikkuClient;
import io.pikku.client.PikkuConnection.CloseStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.test.util.JsonPathExpectationsHelper;

/**
 * The {@link ChannelTester} of both kinds: over sockets through the Java client, or
 * in-process into a {@link ChannelRuntime}.
 */
final class DefaultChannelTester implements ChannelTester {

	private final Settings settings;

	private final @Nullable PikkuClient client;

	private DefaultChannelTester(Settings settings) {
		this.settings = settings;
		this.client = (settings.baseUri != null) ? client(settings) : null;
	}

	static Builder forServer(String baseUri) {
		PikkuClient.builder(baseUri);
		Settings settings = new Settings();
		settings.baseUri = baseUri;
		return new DefaultBuilder(settings);
	}

	static Builder forRuntime(ChannelRuntime runtime) {
		Objects.requireNonNull(runtime, "runtime");
		Settings settings = new Settings();
		settings.runtime = runtime;
		settings.routingProperty = runtime.settings().defaultRoutingProperty();
		settings.correlationField = runtime.settings().correlationField();
		return new DefaultBuilder(settings);
	}

	private static PikkuClient client(Settings settings) {
		PikkuClient.Builder builder = PikkuClient.builder(Objects.requireNonNull(settings.baseUri))
			.httpClient(settings.httpClient)
			.jsonMapper(settings.mapper)
			.routingProperty(settings.routingProperty)
			.correlationField(settings.correlationField)
			.connectTimeout(settings.timeout);
		settings.headers.forEach(builder::header);
		if (settings.token != null) {
			builder.bearerToken(settings.token);
		}
		return builder.build();
	}

	@Override
	public Connection connect(String pathAndQuery) {
		Objects.requireNonNull(pathAndQuery, "pathAndQuery");
		if (!pathAndQuery.startsWith("/")) {
			throw new IllegalArgumentException("A path must start with '/': '" + pathAndQuery + "'");
		}
		int question = pathAndQuery.indexOf('?');
		String path = (question >= 0) ? pathAndQuery.substring(0, question) : pathAndQuery;
		Map<String, List<String>> query = QueryParameters
			.parse((question >= 0) ? pathAndQuery.substring(question + 1) : null);
		Inbox inbox = new Inbox();
		Transport transport = (this.client != null)
				? SocketTransport.connect(this.client, path, query, inbox, this.settings.timeout)
				: InProcessTransport.open(Objects.requireNonNull(this.settings.runtime), path, query,
						this.settings.session, inbox, this.settings.mapper);
		DefaultConnection connection = new DefaultConnection(transport, inbox);
		this.settings.connections.add(connection);
		return connection;
	}

	@Override
	public Builder mutate() {
		return new DefaultBuilder(this.settings.copy());
	}

	@Override
	public void close() {
		for (Connection connection : this.settings.connections) {
			connection.close();
		}
		this.settings.connections.clear();
	}

	/**
	 * A tester's settings; the connections are shared with the testers mutated from it.
	 */
	private static final class Settings {

		@Nullable String baseUri;

		@Nullable ChannelRuntime runtime;

		/**
		 * One HTTP client (and selector thread) for a tester and every tester mutated
		 * from it.
		 */
		HttpClient httpClient = HttpClient.newHttpClient();

		final Map<String, String> headers = new LinkedHashMap<>();

		@Nullable String token;

		@Nullable PikkuSession session;

		Duration timeout = Duration.ofSeconds(5);

		String routingProperty = "action";

		String correlationField = "correlationId";

		JsonMapper mapper = JsonMapper.builder().build();

		List<Connection> connections = new CopyOnWriteArrayList<>();

		Settings copy() {
			Settings copy = new Settings();
			copy.baseUri = this.baseUri;
			copy.runtime = this.runtime;
			copy.httpClient = this.httpClient;
			copy.headers.putAll(this.headers);
			copy.token = this.token;
			copy.session = this.session;
			copy.timeout = this.timeout;
			copy.routingProperty = this.routingProperty;
			copy.correlationField = this.correlationField;
			copy.mapper = this.mapper;
			copy.connections = this.connections;
			return copy;
		}

	}

	private static final class DefaultBuilder implements Builder {

		private final Settings settings;

		DefaultBuilder(Settings settings) {
			this.settings = settings;
		}

		@Override
		public Builder bearerToken(String token) {
			requireServer("A bearer token is sent at a socket's handshake; in-process, set the session");
			this.settings.token = Objects.requireNonNull(token, "token");
			return this;
		}

		@Override
		public Builder header(String name, String value) {
			requireServer("Headers are sent at a socket's handshake; in-process, set the session");
			this.settings.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		@Override
		public Builder session(@Nullable PikkuSession session) {
			if (this.settings.runtime == null) {
				throw new UnsupportedOperationException(
						"Over a socket the session comes from a bearer token or an action, not from the tester");
			}
			this.settings.session = session;
			return this;
		}

		@Override
		public Builder timeout(Duration timeout) {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("The timeout must be positive");
			}
			this.settings.timeout = timeout;
			return this;
		}

		@Override
		public Builder routingProperty(String routingProperty) {
			if (routingProperty == null || routingProperty.isBlank()) {
				throw new IllegalArgumentException("The routing property must not be blank");
			}
			this.settings.routingProperty = routingProperty;
			return this;
		}

		@Override
		public Builder correlationField(String correlationField) {
			if (correlationField == null || correlationField.isBlank()) {
				throw new IllegalArgumentException("The correlation field must not be blank");
			}
			this.settings.correlationField = correlationField;
			return this;
		}

		@Override
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.settings.mapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		@Override
		public ChannelTester build() {
			return new DefaultChannelTester(this.settings.copy());
		}

		private void requireServer(String message) {
			if (this.settings.baseUri == null) {
				throw new UnsupportedOperationException(message);
			}
		}

	}

	private final class DefaultConnection implements Connection {

		private final Transport transport;

		private final Inbox inbox;

		private final AtomicLong ids = new AtomicLong();

		DefaultConnection(Transport transport, Inbox inbox) {
			this.transport = transport;
			this.inbox = inbox;
		}

		@Override
		public ActionSpec action(String action) {
			return new DefaultActionSpec(this, Objects.requireNonNull(action, "action"));
		}

		@Override
		public Connection send(String frame) {
			this.transport.send(Objects.requireNonNull(frame, "frame"));
			return this;
		}

		@Override
		public Message nextMessage() {
			return new DefaultMessage(this.inbox.take((message) -> true, timeout(), "message"));
		}

		@Override
		public Topic topic(String topic) {
			Objects.requireNonNull(topic, "topic");
			return () -> new DefaultMessage(
					this.inbox.take((message) -> topic.equals(message.path("topic").asString(null)), timeout(),
							"delivery of topic '" + topic + "'"));
		}

		@Override
		public Connection expectNoMessage(Duration duration) {
			this.inbox.expectNothing(duration);
			return this;
		}

		@Override
		public CloseStatus expectClosed() {
			return this.inbox.awaitClosed(timeout());
		}

		@Override
		public boolean isClosed() {
			return this.inbox.isClosed();
		}

		@Override
		public void close() {
			if (!this.inbox.isClosed()) {
				this.transport.close();
			}
		}

	}

	private Duration timeout() {
		return this.settings.timeout;
	}

	private final class DefaultActionSpec implements ActionSpec {

		private final DefaultConnection connection;

		private final String action;

		private @Nullable ObjectNode input;

		private @Nullable JsonNode correlationId;

		DefaultActionSpec(DefaultConnection connection, String action) {
			this.connection = connection;
			this.action = action;
		}

		@Override
		public ActionSpec input(Object input) {
			JsonNode tree = DefaultChannelTester.this.settings.mapper.valueToTree(input);
			this.input = object(tree);
			return this;
		}

		@Override
		public ActionSpec inputJson(String json) {
			try {
				this.input = object(DefaultChannelTester.this.settings.mapper.readTree(json));
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException("The input of '" + this.action + "' is not JSON: " + json, ex);
			}
			return this;
		}

		private ObjectNode object(JsonNode tree) {
			if (!(tree instanceof ObjectNode object)) {
				throw new IllegalArgumentException(
						"The input of '" + this.action + "' must be a JSON object, not " + tree);
			}
			return object;
		}

		@Override
		public ActionSpec correlationId(Object correlationId) {
			JsonNode id = DefaultChannelTester.this.settings.mapper.valueToTree(correlationId);
			if (!id.isString() && !id.isNumber()) {
				throw new IllegalArgumentException("A correlation id is a string or a number, not " + id);
			}
			this.correlationId = id;
			return this;
		}

		@Override
		public Reply execute() {
			Settings settings = DefaultChannelTester.this.settings;
			boolean own = this.correlationId == null;
			JsonNode id = own ? settings.mapper.getNodeFactory().stringNode("t" + this.connection.ids.incrementAndGet())
					: this.correlationId;
			ObjectNode frame = settings.mapper.createObjectNode();
			frame.put(settings.routingProperty, this.action);
			if (this.input != null) {
				frame.setAll(this.input);
			}
			frame.set(settings.correlationField, id);
			this.connection.send(settings.mapper.writeValueAsString(frame));
			String expected = id.asString();
			JsonNode reply = this.connection.inbox.take(
					(message) -> message.isObject() && message.has(settings.correlationField)
							&& expected.equals(message.get(settings.correlationField).asString()),
					timeout(), "reply to '" + this.action + "'");
			if (own) {
				reply = reply.deepCopy();
				((ObjectNode) reply).remove(settings.correlationField);
			}
			return new DefaultReply(reply, this.action);
		}

	}

	private class DefaultMessage implements Message {

		final JsonNode json;

		DefaultMessage(JsonNode json) {
			this.json = json;
		}

		@Override
		public JsonNode json() {
			return this.json;
		}

		@Override
		public PathSpec path(String path) {
			return new DefaultPathSpec(this.json, path);
		}

		@Override
		public <T> EntitySpec<T> entity(Class<T> type) {
			JsonNode fields = this.json;
			if (fields instanceof ObjectNode object && object.has(DefaultChannelTester.this.settings.routingProperty)) {
				fields = object.deepCopy();
				((ObjectNode) fields).remove(DefaultChannelTester.this.settings.routingProperty);
			}
			return new DefaultEntitySpec<>(bind(fields, type, "the message"));
		}

		@Override
		public Message isEqualToJson(String json) {
			assertJson(this.json, json, true);
			return this;
		}

		@Override
		public Message matchesJson(String json) {
			assertJson(this.json, json, false);
			return this;
		}

		@Override
		public Message satisfies(Consumer<JsonNode> assertions) {
			assertions.accept(this.json);
			return this;
		}

		@Override
		public String toString() {
			return this.json.toString();
		}

	}

	private void assertJson(JsonNode actual, String expected, boolean inOrder) {
		JsonNode expectedJson;
		try {
			expectedJson = this.settings.mapper.readTree(expected);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The expected JSON is not JSON: " + expected, ex);
		}
		if (inOrder ? !expectedJson.toString().equals(actual.toString()) : !expectedJson.equals(actual)) {
			throw new AssertionError("Expected " + expectedJson + " but received " + actual);
		}
	}

	private <T> T bind(@Nullable Object value, Class<T> type, String what) {
		try {
			return this.settings.mapper.convertValue(value, type);
		}
		catch (JacksonException ex) {
			throw new AssertionError("Could not bind " + what + " to " + type.getName() + ": " + ex.getMessage(), ex);
		}
	}

	private final class DefaultReply extends DefaultMessage implements Reply {

		private final String action;

		DefaultReply(JsonNode json, String action) {
			super(json);
			this.action = action;
		}

		@Override
		public ErrorSpec expectError(String code) {
			JsonNode error = this.json.path("error");
			if (!error.isObject()) {
				throw new AssertionError(
						"Expected error " + code + " from '" + this.action + "' but received " + this.json);
			}
			if (!code.equals(error.path("code").asString(null))) {
				throw new AssertionError("Expected error " + code + " but received " + this.json);
			}
			if (!this.action
				.equals(this.json.path(DefaultChannelTester.this.settings.routingProperty).asString(null))) {
				throw new AssertionError(
						"Expected the error to carry " + DefaultChannelTester.this.settings.routingProperty + " '"
								+ this.action + "' but received " + this.json);
			}
			if (error.path("message").asString("").isBlank()) {
				throw new AssertionError("Expected the error to have a message but received " + this.json);
			}
			return new DefaultErrorSpec(this.json);
		}

		@Override
		public Reply expectSuccess() {
			if (this.json.has("error") && this.json.path("error").has("code")) {
				throw new AssertionError(
						"Expected a reply to '" + this.action + "' but received the error " + this.json.path("error"));
			}
			return this;
		}

		@Override
		public PathSpec path(String path) {
			expectSuccess();
			return super.path(path);
		}

		@Override
		public <T> EntitySpec<T> entity(Class<T> type) {
			expectSuccess();
			return super.entity(type);
		}

		@Override
		public Reply isEqualToJson(String json) {
			super.isEqualToJson(json);
			return this;
		}

		@Override
		public Reply matchesJson(String json) {
			super.matchesJson(json);
			return this;
		}

		@Override
		public Reply satisfies(Consumer<JsonNode> assertions) {
			super.satisfies(assertions);
			return this;
		}

	}

	private final class DefaultErrorSpec implements ErrorSpec {

		private final JsonNode reply;

		DefaultErrorSpec(JsonNode reply) {
			this.reply = reply;
		}

		@Override
		public ErrorSpec messageContains(String text) {
			String message = this.reply.path("error").path("message").asString("");
			if (!message.contains(text)) {
				throw new AssertionError("Expected the error message to contain '" + text + "' but was '" + message
						+ "' in " + this.reply);
			}
			return this;
		}

		@Override
		public ErrorSpec hasDetailField(String field) {
			for (JsonNode detail : this.reply.path("error").path("details").values()) {
				if (field.equals(detail.path("field").asString(null))) {
					return this;
				}
			}
			throw new AssertionError("Expected the error details to name field '" + field + "' in " + this.reply);
		}

		@Override
		public PathSpec path(String path) {
			return new DefaultPathSpec(this.reply.path("error"), path);
		}

		@Override
		public JsonNode json() {
			return this.reply;
		}

	}

	/** JSONPath answering where values are, e.g. {@code $['todo']['id']}. */
	private static final Configuration PATH_LIST = Configuration.builder().options(Option.AS_PATH_LIST).build();

	/**
	 * The JSON Pointer of a normalized JSONPath such as {@code $['todos'][0]['id']}.
	 */
	static JsonPointer pointer(String normalized) {
		StringBuilder pointer = new StringBuilder();
		int i = 1;
		while (i < normalized.length()) {
			if (normalized.startsWith("['", i)) {
				StringBuilder name = new StringBuilder();
				i += 2;
				while (!normalized.startsWith("']", i)) {
					char c = normalized.charAt(i++);
					if (c == '\\' && i < normalized.length()) {
						c = normalized.charAt(i++);
					}
					name.append(c);
				}
				i += 2;
				pointer.append('/').append(name.toString().replace("~", "~0").replace("/", "~1"));
			}
			else if (normalized.charAt(i) == '[') {
				int end = normalized.indexOf(']', i);
				pointer.append('/').append(normalized, i + 1, end);
				i = end + 1;
			}
			else {
				throw new IllegalArgumentException("Unexpected JSONPath " + normalized);
			}
		}
		return JsonPointer.compile(pointer.toString());
	}

	private final class DefaultPathSpec implements PathSpec {

		private final JsonNode json;

		private final String text;

		private final String path;

		private final JsonPathExpectationsHelper helper;

		DefaultPathSpec(JsonNode json, String path) {
			this.json = json;
			this.text = json.toString();
			this.path = path;
			this.helper = new JsonPathExpectationsHelper(path);
		}

		@Override
		public PathSpec exists() {
			this.helper.hasJsonPath(this.text);
			return this;
		}

		@Override
		public PathSpec doesNotExist() {
			this.helper.doesNotHaveJsonPath(this.text);
			return this;
		}

		@Override
		public PathSpec isEqualTo(@Nullable Object expected) {
			this.helper.assertValue(this.text, expected);
			return this;
		}

		@Override
		public <T> EntitySpec<T> entity(Class<T> type) {
			return new DefaultEntitySpec<>(bind(node(), type, this.path));
		}

		@Override
		public <T> EntitySpec<List<T>> entityList(Class<T> elementType) {
			JsonMapper mapper = DefaultChannelTester.this.settings.mapper;
			try {
				return new DefaultEntitySpec<>(mapper.convertValue(node(),
						mapper.getTypeFactory().constructCollectionType(List.class, elementType)));
			}
			catch (JacksonException ex) {
				throw new AssertionError("Could not bind " + this.path + " to a list of " + elementType.getName() + ": "
						+ ex.getMessage(), ex);
			}
		}

		/**
		 * The value at the path as Jackson holds it (field order and exact numbers kept):
		 * JSONPath finds where, Jackson reads what.
		 */
		private JsonNode node() {
			List<String> found;
			try {
				found = JsonPath.using(PATH_LIST).parse(this.text).read(this.path);
			}
			catch (PathNotFoundException ex) {
				throw new AssertionError("No value at " + this.path + " in " + this.text, ex);
			}
			List<JsonNode> nodes = found.stream().map((normalized) -> this.json.at(pointer(normalized))).toList();
			if (JsonPath.compile(this.path).isDefinite()) {
				if (nodes.isEmpty()) {
					throw new AssertionError("No value at " + this.path + " in " + this.text);
				}
				return nodes.get(0);
			}
			return DefaultChannelTester.this.settings.mapper.createArrayNode().addAll(nodes);
		}

		@Override
		public PathSpec path(String path) {
			return new DefaultPathSpec(this.json, path);
		}

	}

	private static final class DefaultEntitySpec<T> implements EntitySpec<T> {

		private final T value;

		DefaultEntitySpec(T value) {
			this.value = value;
		}

		@Override
		public EntitySpec<T> isEqualTo(@Nullable Object expected) {
			if (!Objects.equals(this.value, expected)) {
				throw new AssertionError("Expected " + expected + " but was " + this.value);
			}
			return this;
		}

		@Override
		public EntitySpec<T> satisfies(Consumer<? super T> assertions) {
			assertions.accept(this.value);
			return this;
		}

		@Override
		public T get() {
			return this.value;
		}

	}

}
