package io.pikku.web.socket.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Serves the channels of a {@link ChannelRuntime} on Spring WebSocket.
 *
 * <p>
 * Threading: the container's thread that reads a connection runs its functions, one
 * message at a time, so a function may block (JDBC, HTTP calls) and each connection's
 * messages are handled in order. Sends never block the caller: each connection queues
 * them and writes them with the container's asynchronous API, one at a time, and closes a
 * connection whose queue passes the send buffer limit or whose write takes longer than
 * the send time limit.
 */
public final class ServletChannelTransport implements DisposableBean {

	private final ChannelRuntime runtime;

	private final List<String> allowedOriginPatterns;

	private final long sendTimeLimitMillis;

	private final long sendBufferLimit;

	private final ExecutorService closer;

	private final HandshakeSessionResolver sessionResolver;

	/**
	 * A transport for the given runtime.
	 * @param runtime the channels to serve
	 * @param allowedOriginPatterns origins allowed to connect from a browser; empty for
	 * same origin only
	 * @param sendTimeLimit the longest one outbound message may take to send
	 * @param sendBufferLimit the most outbound data queued per connection
	 * @param sessionResolver makes the session of an authenticated upgrade request
	 */
	public ServletChannelTransport(ChannelRuntime runtime, List<String> allowedOriginPatterns, Duration sendTimeLimit,
			long sendBufferLimit, HandshakeSessionResolver sessionResolver) {
		this.sessionResolver = sessionResolver;
		this.runtime = runtime;
		this.allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
		this.sendTimeLimitMillis = sendTimeLimit.toMillis();
		this.sendBufferLimit = sendBufferLimit;
		this.closer = Executors.newCachedThreadPool(new CloserThreads());
	}

	/**
	 * A handler mapping with one WebSocket handler per channel route. Upgrade requests to
	 * other paths fall through to the next mapping (and a 404).
	 * @return the handler mapping
	 */
	public HandlerMapping handlerMapping() {
		Map<String, Object> urlMap = new LinkedHashMap<>();
		DefaultHandshakeHandler handshakeHandler = new DefaultHandshakeHandler();
		for (ChannelDefinition<?> definition : this.runtime.definitions()) {
			ChannelWebSocketHandler handler = new ChannelWebSocketHandler(this.runtime, definition.name(), this);
			WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler, handshakeHandler);
			List<HandshakeInterceptor> interceptors = new ArrayList<>();
			OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();
			origins.setAllowedOriginPatterns(this.allowedOriginPatterns);
			interceptors.add(origins);
			interceptors.add(new OpeningDataHandshakeInterceptor(this.runtime, definition.name()));
			requestHandler.setHandshakeInterceptors(interceptors);
			urlMap.put(definition.route(), requestHandler);
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setWebSocketUpgradeMatch(true);
		mapping.setOrder(1);
		return mapping;
	}

	HandshakeSessionResolver sessionResolver() {
		return this.sessionResolver;
	}

	long sendTimeLimitMillis() {
		return this.sendTimeLimitMillis;
	}

	long sendBufferLimit() {
		return this.sendBufferLimit;
	}

	void closeLater(Runnable close) {
		if (!this.closer.isShutdown()) {
			this.closer.execute(close);
		}
	}

	@Override
	public void destroy() {
		this.closer.shutdown();
	}

	private static final class CloserThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "pikku-close-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
