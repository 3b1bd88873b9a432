package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.netty.util.concurrent.EventExecutorGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Redis connections that carry messages between instances, on Lettuce directly: one
 * that publishes (pipelined, see {@link RelayPublisher}) and one that listens, handing
 * each message to a {@link Listener} on Lettuce's I/O thread. On a single Redis (or one
 * that Sentinel watches) they use classic pub/sub; on a Redis Cluster, sharded pub/sub.
 *
 * <p>
 * It connects when started; if Redis is unreachable then, it tries again in the
 * background. Once connected, Lettuce reconnects after an outage and restores the
 * subscriptions.
 */
abstract class RedisRelay implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisRelay.class);

	static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	/** How often the relay checks its subscriptions (in a cluster). */
	static final Duration TICK = Duration.ofSeconds(1);

	private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

	protected final RelayPublisher publisher;

	protected final Listener listener;

	/** The channels this instance listens to, whether or not Redis has confirmed them. */
	protected final Set<String> wanted = ConcurrentHashMap.newKeySet();

	/** Subscriptions asked for before the relay was connected, completed once it is. */
	private final Map<String, CompletableFuture<Void>> awaiting = new ConcurrentHashMap<>();

	private final EventExecutorGroup executor;

	private volatile boolean connected;

	private volatile boolean closed;

	private @Nullable ScheduledFuture<?> tick;

	private @Nullable ScheduledFuture<?> retry;

	protected RedisRelay(AbstractRedisClient client, Listener listener, RelayPublisher.Command command,
			int maxPending) {
		this.executor = client.getResources().eventExecutorGroup();
		this.publisher = new RelayPublisher(command, this.executor.next(), maxPending);
		this.listener = listener;
	}

	/**
	 * A relay on the client Spring Data Redis made from {@code spring.data.redis.*}.
	 * @param client a {@link RedisClient} (single Redis or Sentinel) or a
	 * {@link RedisClusterClient}
	 * @param listener receives every message on the channels listened to
	 * @param maxPending how many publishes may await Redis before more are refused
	 * @return the relay, not started yet
	 */
	static RedisRelay create(AbstractRedisClient client, Listener listener, int maxPending) {
		if (client instanceof RedisClusterClient cluster) {
			return new ClusterRelay(cluster, listener, maxPending);
		}
		if (client instanceof RedisClient redis) {
			return new StandaloneRelay(redis, listener, maxPending);
		}
		throw new IllegalArgumentException("Unsupported Redis client: " + client.getClass().getName());
	}

	/**
	 * Connects, or if Redis is unreachable, goes on trying in the background.
	 * @throws ShardedPubSubUnsupportedException if a Redis Cluster has no sharded pub/sub
	 */
	void start() {
		try {
			connect();
		}
		catch (ShardedPubSubUnsupportedException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not connect to Redis, trying again in the background: " + ex);
			scheduleRetry(Duration.ofMillis(100));
		}
		synchronized (this) {
			this.tick = this.executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Connects (on the starting thread, then on one retrying thread at a time), then
	 * subscribes to what was asked for meanwhile.
	 */
	private void connect() {
		if (this.closed || this.connected) {
			return;
		}
		doConnect();
		synchronized (this) {
			this.connected = true;
			if (this.closed) {
				closeConnections();
				return;
			}
			subscribeWanted();
		}
	}

	private void subscribeWanted() {
		for (String channel : this.wanted) {
			CompletableFuture<Void> waiting = this.awaiting.remove(channel);
			CompletableFuture<Void> subscribed = subscribeNow(channel);
			if (waiting != null) {
				subscribed.whenComplete((ok, failure) -> {
					if (failure != null) {
						waiting.completeExceptionally(failure);
					}
					else {
						waiting.complete(null);
					}
				});
			}
		}
	}

	private void scheduleRetry(Duration delay) {
		if (this.closed) {
			return;
		}
		this.retry = this.executor.schedule(() -> {
			try {
				connect();
				logger.info("Connected to Redis: publishes are relayed between instances again");
			}
			catch (RuntimeException ex) {
				if (logger.isDebugEnabled()) {
					logger.debug("Could not connect to Redis, trying again: " + ex);
				}
				Duration next = delay.multipliedBy(2);
				scheduleRetry((next.compareTo(MAX_RETRY_DELAY) > 0) ? MAX_RETRY_DELAY : next);
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Queues a message for every instance that listens to a channel.
	 * @param channel the channel
	 * @param frame writes the message, given its sequence number
	 * @return {@code null} if accepted, otherwise why not
	 */
	@Nullable RelayRefusedException publish(String channel, LongFunction<byte[]> frame) {
		if (!canReach(channel)) {
			return RelayRefusedException.notConnected();
		}
		return this.publisher.publish(channel, frame);
	}

	/**
	 * Whether a publish on a channel can reach Redis now, beyond the publishing
	 * connection being up.
	 * @param channel the channel
	 * @return whether to publish
	 */
	protected boolean canReach(String channel) {
		return true;
	}

	/**
	 * Listens to a channel (exact name, no pattern) until {@link #unsubscribe}.
	 * @param channel the channel
	 * @return completes when Redis has confirmed
	 */
	synchronized CompletableFuture<Void> subscribe(String channel) {
		this.wanted.add(channel);
		if (!this.connected) {
			return this.awaiting.computeIfAbsent(channel, (key) -> new CompletableFuture<>());
		}
		return subscribeNow(channel);
	}

	/**
	 * Stops listening to a channel.
	 * @param channel the channel
	 * @return completes when sent
	 */
	synchronized CompletableFuture<Void> unsubscribe(String channel) {
		this.wanted.remove(channel);
		CompletableFuture<Void> waiting = this.awaiting.remove(channel);
		if (waiting != null) {
			waiting.cancel(false);
		}
		return this.connected ? unsubscribeNow(channel) : DONE;
	}

	/**
	 * Whether publishes can be relayed now.
	 * @return whether the relay is connected
	 */
	boolean isConnected() {
		return this.connected;
	}

	/**
	 * Whether every channel listened to is subscribed on Redis right now.
	 * @return whether messages reach this instance
	 */
	abstract boolean isListening();

	/**
	 * How many accepted publishes failed later.
	 * @return the count since start
	 */
	long failed() {
		return this.publisher.failed();
	}

	/**
	 * How many publishes await Redis.
	 * @return the count
	 */
	int pending() {
		return this.publisher.pending();
	}

	protected abstract void doConnect();

	protected abstract CompletableFuture<Void> subscribeNow(String channel);

	protected abstract CompletableFuture<Void> unsubscribeNow(String channel);

	protected abstract void closeConnections();

	/** Runs every {@link #TICK}. */
	protected void tick() {
		this.publisher.flushQueued();
	}

	/**
	 * Runs a task later on Lettuce's computation threads, unless closed.
	 * @param task the task
	 * @param delay how much later
	 */
	protected void schedule(Runnable task, Duration delay) {
		if (!this.closed) {
			this.executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	protected boolean isClosed() {
		return this.closed;
	}

	@Override
	public void close() {
		close(Duration.ZERO);
	}

	/**
	 * Stops relaying, once the publishes accepted so far have reached Redis (or the
	 * timeout has passed); a relay closed already stays closed.
	 * @param drain how long to wait for them at most
	 */
	synchronized void close(Duration drain) {
		if (this.closed) {
			return;
		}
		if (this.connected && !drain.isZero()) {
			this.publisher.drain(drain);
		}
		this.closed = true;
		if (this.tick != null) {
			this.tick.cancel(false);
		}
		if (this.retry != null) {
			this.retry.cancel(false);
		}
		this.awaiting.values().forEach((waiting) -> waiting.cancel(false));
		if (this.connected) {
			closeConnections();
		}
	}

	/**
	 * Receives the messages of the channels listened to.
	 */
	@FunctionalInterface
	interface Listener {

		/**
		 * A message arrived; called on Lettuce's I/O thread, so it must not block.
		 * @param channel its channel
		 * @param message its bytes
		 */
		void message(String channel, byte[] message);

	}

}
