package io.pikku.web.reactive;

import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpenChannel;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.web.ChannelTransport;
import io.pikku.web.TransportSettings;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;

/**
 * Serves the channels of a {@link ChannelRuntime} on Spring WebFlux (reactive stack,
 * Reactor Netty).
 *
 * <p>
 * Threading: an event loop never blocks. A function declared non-blocking (see
 * {@link io.pikku.channel.PikkuFunction.Builder#nonBlocking()}) runs on the connection's
 * event loop; any other function, and {@code onConnect}, {@code onDisconnect} and
 * {@code onBinary}, run on the blocking executor (Reactor's {@code boundedElastic}, or
 * virtual threads). Each connection's messages are still handled in order, and at most a
 * few are read ahead of the one being handled. Sends never block the caller: each
 * connection queues them, the server writes them as the socket takes them, and a
 * connection whose queue passes the send buffer limit, or does not move for the send time
 * limit, is closed.
 *
 * <p>
 * Connection limit, heartbeats and graceful shutdown: see {@link ChannelTransport}.
 */
public final class ReactiveChannelTransport extends ChannelTransport<ReactiveConnection> {

	private final WebSocketService webSocketService;

	private final Executor blockingExecutor;

	private final Scheduler timer = Schedulers.parallel();

	/**
	 * A transport for the given runtime.
	 * @param runtime the channels to serve
	 * @param settings the transport's settings
	 * @param sessionResolver makes the session of an authenticated upgrade request
	 * @param webSocketService upgrades requests to WebSocket sessions
	 * @param blockingExecutor where code that may block runs
	 */
	public ReactiveChannelTransport(ChannelRuntime runtime, TransportSettings settings,
			HandshakeSessionResolver sessionResolver, WebSocketService webSocketService, Executor blockingExecutor) {
		super(runtime, settings, sessionResolver);
		this.webSocketService = webSocketService;
		this.blockingExecutor = blockingExecutor;
	}

	/**
	 * A handler mapping with one handler per channel route, for WebSocket upgrade
	 * requests only: other requests fall through to the next mapping (and a 404).
	 * @return the handler mapping
	 */
	public HandlerMapping handlerMapping() {
		Map<String, Object> urlMap = new LinkedHashMap<>();
		for (ChannelDefinition<?> definition : runtime().definitions()) {
			urlMap.put(definition.route(), new ChannelWebHandler(runtime(), definition.name(), this));
		}
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(urlMap, 1);
		mapping.setHandlerPredicate((handler, exchange) -> HttpMethod.GET.equals(exchange.getRequest().getMethod())
				&& "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade()));
		return mapping;
	}

	WebSocketService webSocketService() {
		return this.webSocketService;
	}

	Executor blockingExecutor() {
		return this.blockingExecutor;
	}

	/**
	 * Opens a channel on an upgraded session and serves it until it closes.
	 */
	Mono<Void> serve(WebSocketSession session, String channelName, Object openingData, @Nullable Principal principal) {
		ReactiveConnection connection = new ReactiveConnection(session, this, runtime().settings().maxTextMessageSize(),
				runtime().settings().maxBinaryMessageSize());
		opened(connection);
		OpenChannel channel = runtime().open(channelName, openingData, sessionResolver().resolve(principal),
				connection);
		connection.bind(channel);
		return connection.serve().doFinally((signal) -> {
			released(connection);
			connection.closed();
		});
	}

}
