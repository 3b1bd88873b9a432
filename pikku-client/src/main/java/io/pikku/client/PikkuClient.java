package io.pikku.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the Pikku channels of one server: opens connections on which actions are
 * called and replies matched by correlation id. Immutable and thread-safe; build one per
 * server and share it.
 *
 * <pre class="code">
 * PikkuClient client = PikkuClient.builder("ws://localhost:8080").bearerToken(token).build();
 * PikkuConnection chat = client.connect("/chat/{room}", Map.of("room", "general")).join();
 * Sent sent = chat.call("sendMessage", new SendMessage("Hi"), Sent.class).join();
 * </pre>
 */
public final class PikkuClient {

	private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");

	/** Header names the JDK's WebSocket client sets itself and refuses from callers. */
	private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
			"upgrade");

	private static final ExecutorService DEFAULT_EXECUTOR = Executors.newCachedThreadPool(new DaemonThreads());

	private final URI baseUri;

	private final Settings settings;

	private final HttpClient httpClient;

	private PikkuClient(Builder builder, URI baseUri) {
		this.baseUri = baseUri;
		this.settings = new Settings(builder.jsonMapper, Map.copyOf(builder.headers), builder.token,
				builder.tokenInQuery, builder.callTimeout, builder.connectTimeout, builder.reconnectPolicy,
				builder.routingProperty, builder.correlationField, builder.sendQueueLimit, builder.maxMessageSize,
				(builder.executor != null) ? builder.executor : DEFAULT_EXECUTOR);
		this.httpClient = (builder.httpClient != null) ? builder.httpClient
				: HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
	}

	/**
	 * Starts a client of the server at a base URI, e.g. {@code ws://localhost:8080} or
	 * {@code https://example.com/app} ({@code http} becomes {@code ws}, {@code https}
	 * becomes {@code wss}); routes are resolved against its path.
	 * @param baseUri the base URI
	 * @return a builder
	 * @throws IllegalArgumentException if the URI is not an absolute ws, wss, http or
	 * https URI with a host, or has a query or fragment
	 */
	public static Builder builder(String baseUri) {
		return builder().baseUri(baseUri);
	}

	/**
	 * Starts a client of the server at a base URI.
	 * @param baseUri the base URI
	 * @return a builder
	 * @throws IllegalArgumentException if the URI is not usable, see
	 * {@link #builder(String)}
	 */
	public static Builder builder(URI baseUri) {
		return builder().baseUri(baseUri);
	}

	/**
	 * Starts a client whose base URI is set later, with {@link Builder#baseUri(String)}.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	private static URI parse(String baseUri) {
		Objects.requireNonNull(baseUri, "baseUri");
		try {
			return new URI(baseUri);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Invalid base URI '" + baseUri + "': " + ex.getMessage(), ex);
		}
	}

	private static URI webSocketBase(URI uri) {
		Objects.requireNonNull(uri, "baseUri");
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String webSocketScheme = switch (scheme) {
			case "ws", "http" -> "ws";
			case "wss", "https" -> "wss";
			default -> throw new IllegalArgumentException(
					"Invalid base URI '" + uri + "': the scheme must be ws, wss, http or https");
		};
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("Invalid base URI '" + uri + "': it has no host");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new IllegalArgumentException(
					"Invalid base URI '" + uri + "': it must not have a query or fragment; pass the query to connect");
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		while (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		return URI.create(webSocketScheme + "://" + uri.getRawAuthority() + path);
	}

	/**
	 * The base URI, with a ws or wss scheme.
	 * @return the base URI
	 */
	public URI baseUri() {
		return this.baseUri;
	}

	/**
	 * The mapper that writes inputs and reads replies.
	 * @return the mapper
	 */
	public JsonMapper jsonMapper() {
		return this.settings.mapper();
	}

	/**
	 * A builder that starts from this client's settings, e.g. to log in as someone else.
	 * @return a new builder
	 */
	public Builder mutate() {
		Builder builder = new Builder();
		builder.baseUri = this.baseUri;
		builder.jsonMapper = this.settings.mapper();
		builder.headers.putAll(this.settings.headers());
		builder.token = this.settings.token();
		builder.tokenInQuery = this.settings.tokenInQuery();
		builder.callTimeout = this.settings.callTimeout();
		builder.connectTimeout = this.settings.connectTimeout();
		builder.reconnectPolicy = this.settings.reconnectPolicy();
		builder.routingProperty = this.settings.routingProperty();
		builder.correlationField = this.settings.correlationField();
		builder.sendQueueLimit = this.settings.sendQueueLimit();
		builder.maxMessageSize = this.settings.maxMessageSize();
		builder.executor = (this.settings.executor() != DEFAULT_EXECUTOR) ? this.settings.executor() : null;
		builder.httpClient = this.httpClient;
		return builder;
	}

	/**
	 * Opens a connection to a route without variables, e.g. {@code /echo}.
	 * @param route the route
	 * @return completes with the open connection, or exceptionally with a
	 * {@link PikkuHandshakeException} (carrying the HTTP status) or a
	 * {@link PikkuClientException}
	 */
	public CompletableFuture<PikkuConnection> connect(String route) {
		return connect(route, Map.of(), Map.of());
	}

	/**
	 * Opens a connection to a route template, e.g. {@code /chat/{room}}.
	 * @param route the route template
	 * @param pathVariables a value for each variable of the template
	 * @return completes with the open connection
	 * @throws IllegalArgumentException if a variable has no value
	 */
	public CompletableFuture<PikkuConnection> connect(String route, Map<String, ?> pathVariables) {
		return connect(route, pathVariables, Map.of());
	}

	/**
	 * Opens a connection to a route template with query parameters (more opening data).
	 * @param route the route template, e.g. {@code /chat/{room}}
	 * @param pathVariables a value for each variable of the template
	 * @param query query parameters; a collection value repeats the parameter
	 * @return completes with the open connection
	 * @throws IllegalArgumentException if a variable has no value
	 */
	public CompletableFuture<PikkuConnection> connect(String route, Map<String, ?> pathVariables,
			Map<String, ?> query) {
		URI uri = uri(route, pathVariables, query);
		return JdkPikkuConnection.open(this.httpClient, uri, this.settings);
	}

	/**
	 * The URI a connection to a route opens, without credentials.
	 * @param route the route template
	 * @param pathVariables a value for each variable of the template
	 * @param query query parameters
	 * @return the URI
	 * @throws IllegalArgumentException if a variable has no value or the route does not
	 * start with {@code /}
	 */
	public URI uri(String route, Map<String, ?> pathVariables, Map<String, ?> query) {
		Objects.requireNonNull(route, "route");
		if (!route.startsWith("/")) {
			throw new IllegalArgumentException("A route must start with '/': '" + route + "'");
		}
		Matcher matcher = VARIABLE.matcher(route);
		StringBuilder path = new StringBuilder();
		while (matcher.find()) {
			String name = matcher.group(1);
			Object value = pathVariables.get(name);
			if (value == null) {
				throw new IllegalArgumentException(
						"No value for path variable '" + name + "' of route '" + route + "'");
			}
			matcher.appendReplacement(path, Matcher.quoteReplacement(encode(value.toString())));
		}
		matcher.appendTail(path);
		StringBuilder target = new StringBuilder(this.baseUri.toString()).append(path);
		char separator = '?';
		for (Map.Entry<String, ?> parameter : query.entrySet()) {
			Object value = parameter.getValue();
			Collection<?> values = (value instanceof Collection<?> many) ? many
					: java.util.Collections.singletonList(value);
			for (Object each : values) {
				target.append(separator).append(encode(parameter.getKey()));
				if (each != null) {
					target.append('=').append(encode(each.toString()));
				}
				separator = '&';
			}
		}
		try {
			return new URI(target.toString());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("Invalid route '" + route + "': " + ex.getMessage(), ex);
		}
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/**
	 * What every connection of a client shares.
	 */
	record Settings(JsonMapper mapper, Map<String, String> headers, @Nullable Supplier<String> token,
			boolean tokenInQuery, Duration callTimeout, Duration connectTimeout, ReconnectPolicy reconnectPolicy,
			String routingProperty, String correlationField, int sendQueueLimit, int maxMessageSize,
			Executor executor) {

	}

	/**
	 * Builds a {@link PikkuClient}.
	 */
	public static final class Builder {

		private @Nullable URI baseUri;

		private JsonMapper jsonMapper = JsonMapper.builder().build();

		private final Map<String, String> headers = new LinkedHashMap<>();

		private @Nullable Supplier<String> token;

		private boolean tokenInQuery;

		private Duration callTimeout = Duration.ofSeconds(30);

		private Duration connectTimeout = Duration.ofSeconds(10);

		private ReconnectPolicy reconnectPolicy = ReconnectPolicy.NONE;

		private String routingProperty = "action";

		private String correlationField = "correlationId";

		private int sendQueueLimit = 1024;

		private int maxMessageSize = 16 * 1024 * 1024;

		private @Nullable Executor executor;

		private @Nullable HttpClient httpClient;

		private Builder() {
		}

		/**
		 * The base URI of the server, e.g. {@code ws://localhost:8080} or
		 * {@code https://example.com/app} ({@code http} becomes {@code ws}, {@code https}
		 * becomes {@code wss}); routes are resolved against its path.
		 * @param baseUri the base URI
		 * @return this builder
		 * @throws IllegalArgumentException if the URI is not an absolute ws, wss, http or
		 * https URI with a host, or has a query or fragment
		 */
		public Builder baseUri(String baseUri) {
			return baseUri(parse(baseUri));
		}

		/**
		 * The base URI of the server.
		 * @param baseUri the base URI
		 * @return this builder
		 * @throws IllegalArgumentException if the URI is not usable, see
		 * {@link #baseUri(String)}
		 */
		public Builder baseUri(URI baseUri) {
			this.baseUri = webSocketBase(baseUri);
			return this;
		}

		/**
		 * The mapper that writes inputs and reads replies, e.g. Spring Boot's.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		/**
		 * A header of every upgrade request.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 * @throws IllegalArgumentException for a header the WebSocket handshake sets
		 * itself
		 */
		public Builder header(String name, String value) {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(value, "value");
			String lower = name.toLowerCase(Locale.ROOT);
			if (RESTRICTED_HEADERS.contains(lower) || lower.startsWith("sec-websocket-")) {
				throw new IllegalArgumentException("Header '" + name + "' is set by the WebSocket handshake itself");
			}
			this.headers.put(name, value);
			return this;
		}

		/**
		 * A bearer token sent at every handshake (a reconnect included), as an
		 * {@code Authorization} header unless {@link #accessTokenQueryParameter()}.
		 * @param token the token
		 * @return this builder
		 */
		public Builder bearerToken(String token) {
			Objects.requireNonNull(token, "token");
			return bearerToken(() -> token);
		}

		/**
		 * A bearer token asked for at every handshake, e.g. to refresh it before a
		 * reconnect.
		 * @param token gives the token, or {@code null} for none
		 * @return this builder
		 */
		public Builder bearerToken(@Nullable Supplier<String> token) {
			this.token = token;
			return this;
		}

		/**
		 * Sends the bearer token as the {@code access_token} query parameter, as browsers
		 * must, instead of a header.
		 * @return this builder
		 */
		public Builder accessTokenQueryParameter() {
			this.tokenInQuery = true;
			return this;
		}

		/**
		 * How long a call waits for its reply (30 s unless set).
		 * @param callTimeout the timeout
		 * @return this builder
		 */
		public Builder callTimeout(Duration callTimeout) {
			this.callTimeout = positive("call timeout", callTimeout);
			return this;
		}

		/**
		 * How long opening a connection may take (10 s unless set).
		 * @param connectTimeout the timeout
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = positive("connect timeout", connectTimeout);
			return this;
		}

		/**
		 * Whether and when a lost connection is opened again
		 * ({@link ReconnectPolicy#NONE} unless set).
		 * @param reconnectPolicy the policy
		 * @return this builder
		 */
		public Builder reconnect(ReconnectPolicy reconnectPolicy) {
			this.reconnectPolicy = Objects.requireNonNull(reconnectPolicy, "reconnectPolicy");
			return this;
		}

		/**
		 * The routing property of the channels called ({@code action} unless set).
		 * @param routingProperty the property
		 * @return this builder
		 */
		public Builder routingProperty(String routingProperty) {
			this.routingProperty = text("routing property", routingProperty);
			return this;
		}

		/**
		 * The correlation field of the server ({@code correlationId} unless set, as
		 * {@code pikku.correlation-field}).
		 * @param correlationField the field
		 * @return this builder
		 */
		public Builder correlationField(String correlationField) {
			this.correlationField = text("correlation field", correlationField);
			return this;
		}

		/**
		 * How many frames may wait to be sent on one connection (1024 unless set); past
		 * it, a call or send fails at once with {@link PikkuSendQueueFullException}.
		 * @param sendQueueLimit the limit
		 * @return this builder
		 */
		public Builder sendQueueLimit(int sendQueueLimit) {
			if (sendQueueLimit <= 0) {
				throw new IllegalArgumentException("The send queue limit must be positive");
			}
			this.sendQueueLimit = sendQueueLimit;
			return this;
		}

		/**
		 * The longest message accepted from the server, in characters (16 Mi unless set);
		 * a longer one closes the connection with 1009.
		 * @param maxMessageSize the limit
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			if (maxMessageSize <= 0) {
				throw new IllegalArgumentException("The maximum message size must be positive");
			}
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * Where replies complete their futures and handlers run (a shared pool of daemon
		 * threads unless set). Never the thread that reads the socket, so a callback may
		 * block on another call.
		 * @param executor the executor
		 * @return this builder
		 */
		public Builder executor(Executor executor) {
			this.executor = Objects.requireNonNull(executor, "executor");
			return this;
		}

		/**
		 * The JDK HTTP client whose WebSocket support opens connections (a new one unless
		 * set), e.g. for TLS settings or a proxy.
		 * @param httpClient the client
		 * @return this builder
		 */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
			return this;
		}

		/**
		 * Builds the client.
		 * @return the client
		 * @throws IllegalStateException if no base URI is set
		 * @throws IllegalArgumentException if the correlation field equals the routing
		 * property
		 */
		public PikkuClient build() {
			URI base = this.baseUri;
			if (base == null) {
				throw new IllegalStateException("No base URI: set one with baseUri(\"ws://host:port\")");
			}
			if (this.routingProperty.equals(this.correlationField)) {
				throw new IllegalArgumentException(
						"The correlation field must differ from the routing property '" + this.routingProperty + "'");
			}
			return new PikkuClient(this, base);
		}

		private static Duration positive(String what, Duration duration) {
			if (duration == null || duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException("The " + what + " must be positive");
			}
			return duration;
		}

		private static String text(String what, String value) {
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException("The " + what + " must not be blank");
			}
			return value;
		}

	}

	private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "pikku-client-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
