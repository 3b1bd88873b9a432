package io.pikku.web.socket.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.CloseStatus;
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
 *
 * <p>
 * Past the maximum number of connections, upgrades are refused with 503.
 *
 * <p>
 * Lifecycle: every heartbeat interval each connection is pinged, and one silent for
 * longer than the heartbeat timeout is closed. On shutdown (before the web server stops)
 * upgrades are refused with 503, every connection is closed with 1001 (going away) and
 * its {@code onDisconnect} runs, within the shutdown timeout.
 */
public final class ServletChannelTransport implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ServletChannelTransport.class);

	private final ChannelRuntime runtime;

	private final Settings settings;

	private final HandshakeSessionResolver sessionResolver;

	private final Set<ServletConnection> connections = ConcurrentHashMap.newKeySet();

	private final ExecutorService closer;

	private @Nullable ScheduledExecutorService heartbeat;

	private volatile boolean running;

	/**
	 * A transport for the given runtime.
	 * @param runtime the channels to serve
	 * @param settings the transport's settings
	 * @param sessionResolver makes the session of an authenticated upgrade request
	 */
	public ServletChannelTransport(ChannelRuntime runtime, Settings settings,
			HandshakeSessionResolver sessionResolver) {
		this.runtime = runtime;
		this.settings = settings;
		this.sessionResolver = sessionResolver;
		this.closer = Executors.newCachedThreadPool(new Threads("pikku-io-"));
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
			origins.setAllowedOriginPatterns(this.settings.allowedOriginPatterns());
			interceptors.add(origins);
			interceptors.add(new OpeningDataHandshakeInterceptor(this.runtime, definition.name(), this::accepting));
			requestHandler.setHandshakeInterceptors(interceptors);
			urlMap.put(definition.route(), requestHandler);
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setWebSocketUpgradeMatch(true);
		mapping.setOrder(1);
		return mapping;
	}

	/** Whether an upgrade may open a connection now: not shutting down, not full. */
	private boolean accepting() {
		return this.running && this.connections.size() < this.settings.maxConnections();
	}

	HandshakeSessionResolver sessionResolver() {
		return this.sessionResolver;
	}

	Settings settings() {
		return this.settings;
	}

	void register(ServletConnection connection) {
		this.connections.add(connection);
	}

	void unregister(ServletConnection connection) {
		this.connections.remove(connection);
	}

	/**
	 * How many connections this transport holds.
	 * @return the count
	 */
	public int connectionCount() {
		return this.connections.size();
	}

	void closeLater(Runnable close) {
		if (!this.closer.isShutdown()) {
			this.closer.execute(close);
		}
	}

	@Override
	public synchronized void start() {
		this.runtime.start();
		long interval = this.settings.heartbeatInterval().toNanos();
		long timeout = this.settings.heartbeatTimeout().toNanos();
		ScheduledExecutorService heartbeat = Executors
			.newSingleThreadScheduledExecutor(new Threads("pikku-heartbeat-"));
		this.heartbeat = heartbeat;
		heartbeat.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			for (ServletConnection connection : this.connections) {
				try {
					connection.heartbeat(now, timeout);
				}
				catch (RuntimeException ex) {
					logger.debug("Heartbeat failed", ex);
				}
			}
		}, interval, interval, TimeUnit.NANOSECONDS);
		this.running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public synchronized void stop(Runnable callback) {
		this.running = false;
		if (this.heartbeat != null) {
			this.heartbeat.shutdownNow();
			this.heartbeat = null;
		}
		CloseStatus goingAway = new CloseStatus(1001, "Server shutting down");
		for (ServletConnection connection : this.connections) {
			connection.goAway(goingAway);
		}
		Thread waiter = new Thread(() -> {
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			while (!this.connections.isEmpty() && System.nanoTime() < deadline) {
				sleep(20);
			}
			for (ServletConnection connection : List.copyOf(this.connections)) {
				// The client did not answer the close in time: clean up without it.
				this.connections.remove(connection);
				connection.closed();
			}
			awaitPendingWrites(deadline);
			callback.run();
		}, "pikku-shutdown");
		waiter.setDaemon(true);
		waiter.start();
	}

	/**
	 * Waits, until the deadline, for the closed connections' store and EventHub writes,
	 * so that this instance leaves nothing behind in a shared store such as Redis.
	 */
	private void awaitPendingWrites(long deadline) {
		try {
			this.runtime.stop()
				.toCompletableFuture()
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("Shutdown timeout reached before every channel was removed from the channel store");
		}
		catch (ExecutionException ex) {
			// never: the runtime's stop stage does not fail
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Releases the transport's threads when the application context closes.
	 */
	@Override
	public void destroy() {
		this.closer.shutdown();
	}

	/**
	 * Stops before the web server's graceful shutdown, so that channels close with 1001
	 * while the server can still send it.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

	/**
	 * The transport's settings.
	 *
	 * @param allowedOriginPatterns origins allowed to connect from a browser; empty for
	 * same origin only
	 * @param sendTimeLimit the longest one outbound message may take to send
	 * @param sendBufferLimit the most outbound data queued per connection
	 * @param heartbeatInterval how often each connection is pinged
	 * @param heartbeatTimeout how long a connection may stay silent before it is closed
	 * @param shutdownTimeout how long shutdown waits for clients to answer the close
	 * @param maxConnections how many connections this instance accepts; further upgrades
	 * are refused with 503
	 */
	public record Settings(List<String> allowedOriginPatterns, Duration sendTimeLimit, long sendBufferLimit,
			Duration heartbeatInterval, Duration heartbeatTimeout, Duration shutdownTimeout, int maxConnections) {

		/**
		 * Defaults for everything but origins, limits and the heartbeat.
		 * @param allowedOriginPatterns origins allowed to connect from a browser
		 * @param sendTimeLimit the longest one outbound message may take to send
		 * @param sendBufferLimit the most outbound data queued per connection
		 * @return the settings
		 */
		public static Settings of(List<String> allowedOriginPatterns, Duration sendTimeLimit, long sendBufferLimit) {
			return new Settings(allowedOriginPatterns, sendTimeLimit, sendBufferLimit, Duration.ofSeconds(25),
					Duration.ofSeconds(60), Duration.ofSeconds(5), Integer.MAX_VALUE);
		}

		public Settings {
			allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
		}

	}

	private static final class Threads implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		Threads(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
