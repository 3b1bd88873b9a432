package io.pikku.web;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Serves the channels of a {@link ChannelRuntime} on one web stack: what every transport
 * does the same way, whatever its server.
 *
 * <p>
 * Past the maximum number of connections, upgrades are refused with 503.
 *
 * <p>
 * Lifecycle: every heartbeat interval each connection is pinged, and one silent for
 * longer than the heartbeat timeout is closed. Every {@link #WATCH_INTERVAL} each
 * connection checks on its writes ({@link Connection#watch(long)}). On shutdown (before
 * the web server stops) upgrades are refused with 503, every connection is closed with
 * 1001 (going away) and its {@code onDisconnect} runs, within the shutdown timeout; then
 * the transport waits, within the same timeout, for the runtime's writes to a shared
 * store such as Redis.
 *
 * @param <C> the transport's connection type
 */
public abstract class ChannelTransport<C extends ChannelTransport.Connection>
		implements ConnectionHost, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ChannelTransport.class);

	/** How often each connection checks on its writes. */
	protected static final java.time.Duration WATCH_INTERVAL = java.time.Duration.ofMillis(100);

	private final ChannelRuntime runtime;

	private final TransportSettings settings;

	private final HandshakeSessionResolver sessionResolver;

	private final Set<C> connections = ConcurrentHashMap.newKeySet();

	private final ExecutorService closer;

	private final ScheduledExecutorService timer;

	private final List<ScheduledFuture<?>> periodic = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/**
	 * A transport for the given runtime.
	 * @param runtime the channels to serve
	 * @param settings the transport's settings
	 * @param sessionResolver makes the session of an authenticated upgrade request
	 */
	protected ChannelTransport(ChannelRuntime runtime, TransportSettings settings,
			HandshakeSessionResolver sessionResolver) {
		this.runtime = runtime;
		this.settings = settings;
		this.sessionResolver = sessionResolver;
		this.closer = Executors.newCachedThreadPool(new Threads("pikku-io-"));
		this.timer = Executors.newSingleThreadScheduledExecutor(new Threads("pikku-timer-"));
	}

	/**
	 * The channels served.
	 * @return the runtime
	 */
	protected final ChannelRuntime runtime() {
		return this.runtime;
	}

	/**
	 * The transport's settings.
	 * @return the settings
	 */
	@Override
	public final TransportSettings settings() {
		return this.settings;
	}

	/**
	 * Makes the session of an authenticated upgrade request.
	 * @return the resolver
	 */
	public final HandshakeSessionResolver sessionResolver() {
		return this.sessionResolver;
	}

	/**
	 * Whether an upgrade may open a connection now: not shutting down, not full.
	 * @return {@code false} to refuse the upgrade with 503
	 */
	public final boolean accepting() {
		return this.running && this.connections.size() < this.settings.maxConnections();
	}

	/**
	 * Holds an opened connection, for heartbeats, the connection limit and shutdown.
	 * @param connection the connection
	 */
	public final void opened(C connection) {
		this.connections.add(connection);
	}

	/**
	 * Lets go of a closed connection.
	 * @param connection the connection
	 */
	public final void released(C connection) {
		this.connections.remove(connection);
	}

	/**
	 * Calls the action for every connection held.
	 * @param action the action
	 */
	protected final void forEachConnection(Consumer<C> action) {
		for (C connection : this.connections) {
			action.accept(connection);
		}
	}

	/**
	 * How many connections this transport holds.
	 * @return the count
	 */
	public final int connectionCount() {
		return this.connections.size();
	}

	@Override
	public final void runInBackground(Runnable step) {
		if (!this.closer.isShutdown()) {
			this.closer.execute(step);
		}
	}

	@Override
	public final void schedule(java.time.Duration delay, Runnable step) {
		if (!this.timer.isShutdown()) {
			this.timer.schedule(step, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public synchronized void start() {
		this.runtime.start();
		long interval = this.settings.heartbeatInterval().toNanos();
		long timeout = this.settings.heartbeatTimeout().toNanos();
		this.periodic.add(this.timer.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			for (C connection : this.connections) {
				try {
					connection.heartbeat(now, timeout);
				}
				catch (RuntimeException ex) {
					logger.debug("Heartbeat failed", ex);
				}
			}
		}, interval, interval, TimeUnit.NANOSECONDS));
		long watch = WATCH_INTERVAL.toNanos();
		this.periodic.add(this.timer.scheduleWithFixedDelay(() -> {
			long now = System.nanoTime();
			for (C connection : this.connections) {
				try {
					connection.watch(now);
				}
				catch (RuntimeException ex) {
					logger.debug("Watching a connection failed", ex);
				}
			}
		}, watch, watch, TimeUnit.NANOSECONDS));
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
		this.periodic.forEach((task) -> task.cancel(false));
		this.periodic.clear();
		for (C connection : this.connections) {
			connection.goAway(1001, "Server shutting down");
		}
		Thread waiter = new Thread(() -> {
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			while (!this.connections.isEmpty() && System.nanoTime() < deadline) {
				sleep(20);
			}
			for (C connection : List.copyOf(this.connections)) {
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
	 * Waits, until the deadline, for the closed connections' store and EventHub writes
	 * (and their {@code onDisconnect}), so that this instance leaves nothing behind in a
	 * shared store such as Redis.
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
		this.timer.shutdownNow();
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
	 * What the transport's lifecycle needs of a connection.
	 */
	public interface Connection {

		/**
		 * Called every heartbeat interval: closes a connection silent for longer than the
		 * timeout (a vanished client), otherwise pings it.
		 * @param now the current {@link System#nanoTime()}
		 * @param timeoutNanos how long a connection may stay silent
		 */
		void heartbeat(long now, long timeoutNanos);

		/**
		 * Closes the connection from this side after what is queued, e.g. at shutdown.
		 * @param code the close code
		 * @param reason the close reason
		 */
		void goAway(int code, String reason);

		/** The connection closed, or shutdown gave up waiting for it: clean up. */
		void closed();

		/**
		 * Called every {@link ChannelTransport#WATCH_INTERVAL}: checks that the
		 * connection's writes move, and gives up on those that cannot.
		 * @param now the current {@link System#nanoTime()}
		 */
		default void watch(long now) {
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
