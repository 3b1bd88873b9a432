package io.pikku.gateway.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An emulator of AWS API Gateway WebSocket APIs for tests and local development: a
 * WebSocket server that turns each socket into the HTTP integration calls
 * ({@code $connect}, {@code $default}, {@code $disconnect}) and serves the management API
 * ({@code POST}/{@code GET}/{@code DELETE /{api}/@connections/{id}}) as AWS does: status
 * codes and {@code x-amzn-ErrorType}, 410 before {@code $connect} has completed and after
 * a close, 413 over 128 KB, 403 without a SigV4 signature, injectable 429s, idle and
 * maximum durations, and duplicated or dropped {@code $disconnect}s.
 *
 * <p>
 * Each API is served at {@code ws://host:port/{api}}; its management endpoint (what the
 * SDK's {@code endpointOverride} takes) is {@code http://host:port/{api}}. The
 * integration of an API calls {@code {backend}/connect} (GET, the query parameters and
 * the {@code Authorization} header passed on), {@code {backend}/message} (POST, the
 * message as the body; a binary one as {@code application/octet-stream}) and
 * {@code {backend}/disconnect} (POST), each with the connection id and the shared secret
 * in the mapped headers. A 2xx answer to a message with a body is the route response,
 * sent to the client.
 *
 * <p>
 * An API can instead have Lambda proxy integrations ({@link #lambda}): each route then
 * invokes a function with the event API Gateway sends a Lambda function (an
 * {@code APIGatewayV2WebSocketEvent} as JSON: the route key, the API id and the
 * connection id in {@code requestContext}, the query string parameters at
 * {@code $connect}, the message as the body, base64-encoded if binary) and reads its
 * answer ({@code statusCode} and {@code body}) as it reads an HTTP integration's.
 */
public final class GatewayEmulator implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(GatewayEmulator.class);

	/** API Gateway's limit on one message. */
	public static final int MESSAGE_LIMIT = 128 * 1024;

	private static final SecureRandom random = new SecureRandom();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, List<URI>> backends = new ConcurrentHashMap<>();

	private final Map<String, Lambda> lambdas = new ConcurrentHashMap<>();

	/** Runs Lambda invocations, concurrently as Lambda does. */
	private final java.util.concurrent.ExecutorService invocations = java.util.concurrent.Executors
		.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "gateway-emulator-lambda");
			thread.setDaemon(true);
			return thread;
		});

	private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

	private final String secret;

	private final Map<String, Connection> connections = new ConcurrentHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<String> log = new CopyOnWriteArrayList<>();

	private final AtomicInteger throttles = new AtomicInteger();

	private final AtomicInteger posts = new AtomicInteger();

	private volatile DisconnectMode disconnectMode = DisconnectMode.ONCE;

	private volatile Duration idleTimeout = Duration.ofMinutes(10);

	private volatile Duration connectDelay = Duration.ZERO;

	private final AtomicInteger goneAnswers = new AtomicInteger();

	private volatile Duration maxDuration = Duration.ofHours(2);

	private final DisposableServer server;

	private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
		.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "gateway-emulator-timer");
			thread.setDaemon(true);
			return thread;
		});

	private GatewayEmulator(int port, Map<String, URI> backends, String secret) {
		backends.forEach((api, backend) -> this.backends.put(api, List.of(backend)));
		this.secret = secret;
		this.server = HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow();
		this.timer.scheduleWithFixedDelay(this::expire, 50, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts an emulator on a free port.
	 * @param backends the integration base URI of each API, by API name, e.g.
	 * {@code http://localhost:8080/pikku/gateway/chat}
	 * @param secret the shared secret the integrations send
	 * @return the running emulator
	 */
	public static GatewayEmulator start(Map<String, URI> backends, String secret) {
		return new GatewayEmulator(0, backends, secret);
	}

	/**
	 * Runs an emulator from the command line:
	 * {@code GatewayEmulator <port> <secret> <api>=<backend> ...}.
	 * @param args the arguments
	 * @throws InterruptedException if interrupted while running
	 */
	public static void main(String[] args) throws InterruptedException {
		if (args.length < 3) {
			System.err.println("Usage: GatewayEmulator <port> <secret> <api>=<integration base URI> ...");
			System.err.println("  e.g. 4510 my-shared-secret-123456 chat=http://localhost:8080/pikku/gateway/chat");
			System.exit(2);
		}
		Map<String, URI> backends = new LinkedHashMap<>();
		for (int i = 2; i < args.length; i++) {
			String[] pair = args[i].split("=", 2);
			backends.put(pair[0], URI.create(pair[1]));
		}
		GatewayEmulator emulator = new GatewayEmulator(Integer.parseInt(args[0]), backends, args[1]);
		backends.keySet()
			.forEach((api) -> System.out.println("API " + api + ": " + emulator.webSocketUri(api)
					+ "  management endpoint " + emulator.managementEndpoint(api)));
		Thread.currentThread().join();
	}

	public int port() {
		return this.server.port();
	}

	/**
	 * Where clients connect to an API.
	 * @param api the API
	 * @return the WebSocket URI
	 */
	public URI webSocketUri(String api) {
		return URI.create("ws://127.0.0.1:" + port() + "/" + api);
	}

	/**
	 * The management endpoint of an API, for the SDK's {@code endpointOverride}.
	 * @param api the API
	 * @return the endpoint
	 */
	public URI managementEndpoint(String api) {
		return URI.create("http://127.0.0.1:" + port() + "/" + api);
	}

	/**
	 * Spreads an API's integration calls over several instances, in turn, as a load
	 * balancer would.
	 * @param api the API
	 * @param instances the integration base URI on each instance
	 */
	public void backends(String api, List<URI> instances) {
		this.lambdas.remove(api);
		this.backends.put(api, List.copyOf(instances));
	}

	/**
	 * Makes an API's routes Lambda proxy integrations of one function.
	 * @param api the API
	 * @param apiId the id of the API, which its events carry
	 * ({@code requestContext.apiId})
	 * @param function takes an event as JSON and returns the function's answer as JSON; a
	 * failure answers the client as a failed integration does
	 */
	public void lambda(String api, String apiId, UnaryOperator<String> function) {
		this.backends.remove(api);
		this.lambdas.put(api, new Lambda(apiId, function));
	}

	private URI backend(String api) {
		List<URI> instances = this.backends.get(api);
		return instances.get((int) (this.calls.getAndIncrement() % instances.size()));
	}

	/** The next management calls answer 429 {@code LimitExceededException}. */
	public void throttleNext(int calls) {
		this.throttles.set(calls);
	}

	/** How {@code $disconnect} is reported from now on. */
	public void disconnectMode(DisconnectMode mode) {
		this.disconnectMode = mode;
	}

	/**
	 * How long the gateway takes, after a 2xx answer to {@code $connect}, to have the
	 * connection; posts meanwhile answer 410.
	 * @param delay the delay
	 */
	public void connectDelay(Duration delay) {
		this.connectDelay = delay;
	}

	/** How many management calls were answered 410 Gone. */
	public int goneAnswers() {
		return this.goneAnswers.get();
	}

	public void idleTimeout(Duration timeout) {
		this.idleTimeout = timeout;
	}

	public void maxDuration(Duration duration) {
		this.maxDuration = duration;
	}

	/** The integration calls made so far, e.g. {@code "$connect chat:abc= 200"}. */
	public List<String> log() {
		return List.copyOf(this.log);
	}

	/** How many management posts were accepted. */
	public int posts() {
		return this.posts.get();
	}

	/** Drops a socket as a network failure would: the client's connection ends. */
	public void dropSocket(String connectionId) {
		Connection connection = this.connections.get(connectionId);
		if (connection != null) {
			connection.close(1006, "");
		}
	}

	/**
	 * The ids of the connections open now.
	 * @return the ids
	 */
	public List<String> openConnections() {
		return this.connections.values()
			.stream()
			.filter((connection) -> connection.state == State.CONNECTED)
			.map((connection) -> connection.id)
			.toList();
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String path = new QueryStringDecoder(request.uri()).path();
		int at = path.indexOf("/@connections/");
		if (at > 0) {
			return management(path.substring(1, at), path.substring(at + "/@connections/".length()), request, response);
		}
		String api = path.startsWith("/") ? path.substring(1) : path;
		if (!(this.backends.containsKey(api) || this.lambdas.containsKey(api))
				|| !"websocket".equalsIgnoreCase(request.requestHeaders().get("Upgrade"))) {
			return response.status(HttpResponseStatus.FORBIDDEN)
				.header("x-amzn-ErrorType", "ForbiddenException")
				.sendString(Mono.just("{\"message\":\"Forbidden\"}"));
		}
		return connect(api, request, response);
	}

	// $connect

	private Publisher<Void> connect(String api, HttpServerRequest request, HttpServerResponse response) {
		String id = newConnectionId();
		Connection connection = new Connection(id, api);
		this.connections.put(id, connection);
		String authorization = request.requestHeaders().get("Authorization");
		Lambda lambda = this.lambdas.get(api);
		CompletableFuture<HttpResponse<String>> integration;
		if (lambda != null) {
			ObjectNode event = lambda.event(id, "$connect", "CONNECT");
			ObjectNode headers = event.putObject("headers");
			headers.put("Host", lambda.apiId + ".execute-api.us-east-1.amazonaws.com");
			if (authorization != null) {
				headers.put("Authorization", authorization);
			}
			Map<String, List<String>> parameters = new QueryStringDecoder(request.uri()).parameters();
			if (!parameters.isEmpty()) {
				ObjectNode single = event.putObject("queryStringParameters");
				ObjectNode multi = event.putObject("multiValueQueryStringParameters");
				parameters.forEach((name, values) -> {
					single.put(name, values.get(values.size() - 1));
					values.forEach(multi.putArray(name)::add);
				});
			}
			integration = invoke(lambda, event);
		}
		else {
			String query = new QueryStringDecoder(request.uri()).rawQuery();
			HttpRequest.Builder call = HttpRequest
				.newBuilder(URI.create(backend(api) + "/connect" + (query.isEmpty() ? "" : "?" + query)))
				.GET()
				.timeout(Duration.ofSeconds(29));
			headers(call, id);
			if (authorization != null) {
				call.header("Authorization", authorization);
			}
			integration = this.http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofString());
		}
		return Mono.fromFuture(integration)
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty(Answered.FAILED)
			.flatMap((answer) -> {
				record("$connect", id, answer.statusCode());
				if (answer.statusCode() / 100 != 2) {
					this.connections.remove(id);
					return Mono.from(response.status(answer.statusCode())
						.header("Content-Type", "application/json")
						.sendString(Mono.just(answer.body())));
				}
				return Mono.delay(this.connectDelay)
					.then(Mono.from(response.header("x-pikku-connection-id", id)
						.sendWebsocket((in, out) -> socket(connection, in, out),
								WebsocketServerSpec.builder().maxFramePayloadLength(4 * MESSAGE_LIMIT).build())));
			});
	}

	private Publisher<Void> socket(Connection connection, WebsocketInbound in, WebsocketOutbound out) {
		connection.connected();
		Mono<Void> inbound = in.aggregateFrames(4 * MESSAGE_LIMIT)
			.receiveFrames()
			.doOnNext((frame) -> onFrame(connection, frame))
			.then()
			.doFinally((signal) -> connection.closedByClient());
		Mono<Void> outbound = out.sendObject(connection.frames.asFlux()).then();
		return Mono.when(inbound, outbound).onErrorResume((ex) -> Mono.empty());
	}

	private void onFrame(Connection connection, WebSocketFrame frame) {
		if (frame instanceof CloseWebSocketFrame) {
			return;
		}
		connection.lastActive = Instant.now();
		ByteBuf content = frame.content();
		if (content.readableBytes() > MESSAGE_LIMIT) {
			connection.close(1009, "Message too big");
			return;
		}
		byte[] bytes = new byte[content.readableBytes()];
		content.getBytes(content.readerIndex(), bytes);
		boolean binary = frame instanceof BinaryWebSocketFrame;
		Lambda lambda = this.lambdas.get(connection.api);
		CompletableFuture<HttpResponse<String>> integration;
		if (lambda != null) {
			ObjectNode event = lambda.event(connection.id, "$default", "MESSAGE");
			event.put("body",
					binary ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8));
			event.put("isBase64Encoded", binary);
			integration = invoke(lambda, event);
		}
		else {
			HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(backend(connection.api) + "/message"))
				.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
				.header("Content-Type", binary ? "application/octet-stream" : "text/plain; charset=utf-8")
				.timeout(Duration.ofSeconds(29));
			headers(call, connection.id);
			integration = this.http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofString());
		}
		// like API Gateway, messages of one connection are integrated concurrently
		integration.whenComplete((answer, failure) -> {
			int status = (answer != null) ? answer.statusCode() : 502;
			record("$default", connection.id, status);
			if (status / 100 != 2) {
				connection.send("{\"message\": \"Internal server error\", \"connectionId\":\"" + connection.id
						+ "\", \"requestId\":\"" + newConnectionId() + "\"}");
			}
			else if (!answer.body().isEmpty()) {
				connection.send(answer.body());
			}
		});
	}

	// $disconnect

	private void disconnect(Connection connection) {
		DisconnectMode mode = this.disconnectMode;
		if (mode == DisconnectMode.DROPPED) {
			record("$disconnect", connection.id, 0);
			return;
		}
		int times = (mode == DisconnectMode.TWICE) ? 2 : 1;
		Lambda lambda = this.lambdas.get(connection.api);
		for (int i = 0; i < times; i++) {
			CompletableFuture<? extends HttpResponse<?>> integration;
			if (lambda != null) {
				ObjectNode event = lambda.event(connection.id, "$disconnect", "DISCONNECT");
				((ObjectNode) event.get("requestContext")).put("disconnectStatusCode", 1000)
					.put("disconnectReason", "");
				integration = invoke(lambda, event);
			}
			else {
				HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(backend(connection.api) + "/disconnect"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.timeout(Duration.ofSeconds(29));
				headers(call, connection.id);
				integration = this.http.sendAsync(call.build(), HttpResponse.BodyHandlers.discarding());
			}
			integration.whenComplete((answer, failure) -> record("$disconnect", connection.id,
					(answer != null) ? answer.statusCode() : 502));
		}
	}

	/**
	 * Invokes a function as a Lambda proxy integration: its answer, or a failure (502).
	 */
	private CompletableFuture<HttpResponse<String>> invoke(Lambda lambda, ObjectNode event) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				JsonNode answer = json.readTree(lambda.function.apply(json.writeValueAsString(event)));
				JsonNode body = answer.path("body");
				return (HttpResponse<String>) new Answered(answer.path("statusCode").asInt(200),
						body.isString() ? body.asString() : "");
			}
			catch (RuntimeException ex) {
				logger.warn("The Lambda integration of {} failed", event.path("requestContext").path("routeKey"), ex);
				return Answered.FAILED;
			}
		}, this.invocations);
	}

	private void headers(HttpRequest.Builder call, String connectionId) {
		call.header("X-Pikku-Connection-Id", connectionId).header("X-Pikku-Gateway-Secret", this.secret);
	}

	private void record(String route, String connectionId, int status) {
		this.log.add(route + " " + connectionId + " " + status);
	}

	// Management API

	private Publisher<Void> management(String api, String encodedId, HttpServerRequest request,
			HttpServerResponse response) {
		String authorization = request.requestHeaders().get("Authorization");
		if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")
				|| !authorization.contains("Credential=") || !authorization.contains("Signature=")) {
			return error(response, 403, "ForbiddenException", "Missing Authentication Token");
		}
		if (this.throttles.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			return error(response, 429, "LimitExceededException", "Rate exceeded");
		}
		String id = URLDecoder.decode(encodedId);
		Connection connection = this.connections.get(id);
		boolean live = connection != null && connection.api.equals(api) && connection.state == State.CONNECTED;
		String method = request.method().name();
		if (method.equals("POST")) {
			return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((body) -> {
				if (body.length > MESSAGE_LIMIT) {
					return Mono.from(error(response, 413, "PayloadTooLargeException", "Request entity too large"));
				}
				if (!live) {
					return Mono.from(error(response, 410, "GoneException", null));
				}
				connection.send(new String(body, StandardCharsets.UTF_8));
				this.posts.incrementAndGet();
				return Mono.from(response.status(200).send());
			});
		}
		if (!live) {
			return error(response, 410, "GoneException", null);
		}
		if (method.equals("GET")) {
			return response.status(200)
				.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"connectedAt\":\"" + connection.connectedAt + "\",\"identity\":{\"sourceIp\":"
						+ "\"127.0.0.1\",\"userAgent\":\"emulator\"},\"lastActiveAt\":\"" + connection.lastActive
						+ "\"}"));
		}
		if (method.equals("DELETE")) {
			connection.close(1000, "");
			return response.status(204).send();
		}
		return error(response, 404, "NotFoundException", "Not found");
	}

	private Publisher<Void> error(HttpServerResponse response, int status, String type,
			@org.jspecify.annotations.Nullable String message) {
		if (status == 410) {
			this.goneAnswers.incrementAndGet();
		}
		return response.status(status)
			.header("x-amzn-ErrorType", type)
			.header("x-amzn-RequestId", newConnectionId())
			.header("Content-Type", "application/json")
			.sendString(Mono.just("{\"message\":" + ((message != null) ? "\"" + message + "\"" : "null") + "}"));
	}

	private static String newConnectionId() {
		byte[] bytes = new byte[10];
		random.nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes).replace('/', '_').replace('+', '-');
	}

	private void expire() {
		Instant now = Instant.now();
		for (Connection connection : this.connections.values()) {
			if (connection.state != State.CONNECTED) {
				continue;
			}
			if (connection.lastActive.plus(this.idleTimeout).isBefore(now)
					|| connection.connectedAt.plus(this.maxDuration).isBefore(now)) {
				connection.close(1001, "Going away");
			}
		}
	}

	@Override
	public void close() {
		this.connections.values().forEach((connection) -> connection.close(1001, "Going away"));
		this.timer.shutdownNow();
		this.invocations.shutdownNow();
		this.server.disposeNow();
	}

	/**
	 * How {@code $disconnect} is reported.
	 */
	public enum DisconnectMode {

		/** Once, as it should be. */
		ONCE,

		/** Twice. */
		TWICE,

		/** Never. */
		DROPPED

	}

	private enum State {

		CONNECTING, CONNECTED, CLOSED

	}

	/** An API's Lambda integration. */
	private record Lambda(String apiId, UnaryOperator<String> function) {

		/** An event of a connection, without what depends on the route. */
		ObjectNode event(String connectionId, String routeKey, String eventType) {
			long now = System.currentTimeMillis();
			ObjectNode event = json.createObjectNode();
			ObjectNode context = event.putObject("requestContext");
			context.put("routeKey", routeKey)
				.put("eventType", eventType)
				.put("messageDirection", "IN")
				.put("stage", "prod")
				.put("connectedAt", now)
				.put("requestTimeEpoch", now)
				.put("requestId", newConnectionId())
				.put("extendedRequestId", newConnectionId())
				.put("domainName", this.apiId + ".execute-api.us-east-1.amazonaws.com")
				.put("connectionId", connectionId)
				.put("apiId", this.apiId);
			context.putObject("identity").put("sourceIp", "127.0.0.1").put("userAgent", "emulator");
			if (eventType.equals("MESSAGE")) {
				context.put("messageId", newConnectionId());
			}
			event.put("isBase64Encoded", false);
			return event;
		}

	}

	/** An integration's answer that did not come over HTTP: a Lambda's, or a failure. */
	private static final class Answered implements HttpResponse<String> {

		/** A failed integration call: AWS answers 500 to the client. */
		static final Answered FAILED = new Answered(502, "{\"message\":\"Internal server error\"}");

		private final int status;

		private final String body;

		Answered(int status, String body) {
			this.status = status;
			this.body = body;
		}

		@Override
		public int statusCode() {
			return this.status;
		}

		@Override
		public HttpRequest request() {
			return null;
		}

		@Override
		public Optional<HttpResponse<String>> previousResponse() {
			return Optional.empty();
		}

		@Override
		public java.net.http.HttpHeaders headers() {
			return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
		}

		@Override
		public String body() {
			return this.body;
		}

		@Override
		public Optional<javax.net.ssl.SSLSession> sslSession() {
			return Optional.empty();
		}

		@Override
		public URI uri() {
			return null;
		}

		@Override
		public HttpClient.Version version() {
			return HttpClient.Version.HTTP_1_1;
		}

	}

	private final class Connection {

		final String id;

		final String api;

		final Sinks.Many<WebSocketFrame> frames = Sinks.many().unicast().onBackpressureBuffer();

		volatile State state = State.CONNECTING;

		volatile Instant connectedAt = Instant.now();

		volatile Instant lastActive = Instant.now();

		Connection(String id, String api) {
			this.id = id;
			this.api = api;
		}

		synchronized void connected() {
			if (this.state == State.CONNECTING) {
				this.state = State.CONNECTED;
				this.connectedAt = Instant.now();
				this.lastActive = this.connectedAt;
			}
		}

		synchronized void send(String text) {
			if (this.state == State.CONNECTED) {
				this.lastActive = Instant.now();
				this.frames.tryEmitNext(new TextWebSocketFrame(text));
			}
		}

		/** The gateway closes the socket (DELETE, timeouts, a network failure). */
		void close(int code, String reason) {
			synchronized (this) {
				if (this.state != State.CONNECTED) {
					return;
				}
				this.state = State.CLOSED;
				if (code != 1006) {
					this.frames.tryEmitNext(new CloseWebSocketFrame(code, reason));
				}
				this.frames.tryEmitComplete();
			}
			GatewayEmulator.this.connections.remove(this.id);
			disconnect(this);
		}

		/** The client closed the socket, or it broke. */
		void closedByClient() {
			synchronized (this) {
				if (this.state != State.CONNECTED) {
					return;
				}
				this.state = State.CLOSED;
				this.frames.tryEmitComplete();
			}
			GatewayEmulator.this.connections.remove(this.id);
			disconnect(this);
		}

	}

	private static final class URLDecoder {

		static String decode(String value) {
			return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
		}

	}

}
