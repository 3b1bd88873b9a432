package io.pikku.eventhub.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The relay on a Redis Cluster, with sharded pub/sub: a topic's messages go with
 * {@code SPUBLISH} to the one shard that owns its channel's slot (not, as classic
 * {@code PUBLISH} in a cluster, to every node), and {@code SSUBSCRIBE} listens on that
 * shard's master. Lettuce routes both by slot.
 *
 * <p>
 * A shard's master can fail, and its replica take over, or slots can move: Redis then
 * unsubscribes the listeners of the moved channels, or the connection to the old master
 * drops. Every {@link #TICK} (and at once after such an unsubscribe) the relay checks
 * that each channel it listens to is subscribed on the master that owns the channel's
 * slot now, reloads the cluster's topology if a master is unreachable, and subscribes
 * again where needed. A message that arrives twice meanwhile (on an old and a new
 * subscription) is dropped by the receiving hub, which delivers each message once.
 */
final class ClusterRelay extends RedisRelay {

	private static final Log logger = LogFactory.getLog(ClusterRelay.class);

	private final RedisClusterClient client;

	private volatile @Nullable StatefulRedisClusterConnection<String, byte[]> publishing;

	private volatile @Nullable StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions;

	/** The node each channel is subscribed on, as Redis last confirmed. */
	private final Map<String, String> subscribedAt = new ConcurrentHashMap<>();

	/** Subscriptions sent again and not confirmed yet. */
	private final Map<String, CompletableFuture<Void>> resubscribing = new ConcurrentHashMap<>();

	ClusterRelay(RedisClusterClient client, Listener listener, int maxPending) {
		super(client, listener,
				(connection, channel, message) -> ((StatefulRedisClusterConnection<String, byte[]>) connection).async()
					.spublish(channel, message),
				maxPending);
		this.client = client;
	}

	@Override
	protected void doConnect() {
		StatefulRedisClusterConnection<String, byte[]> publishing = this.client.connect(CODEC);
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions;
		try {
			checkShardedPubSub(publishing);
			subscriptions = this.client.connectPubSub(CODEC);
		}
		catch (RuntimeException ex) {
			publishing.closeAsync();
			throw ex;
		}
		subscriptions.addListener(new RedisClusterPubSubAdapter<>() {

			@Override
			public void smessage(RedisClusterNode node, String channel, byte[] message) {
				ClusterRelay.this.listener.message(channel, message);
			}

			@Override
			public void ssubscribed(RedisClusterNode node, String channel, long count) {
				if (node != null) {
					ClusterRelay.this.subscribedAt.put(channel, node.getNodeId());
				}
			}

			@Override
			public void sunsubscribed(RedisClusterNode node, String channel, long count) {
				if (node == null || ClusterRelay.this.subscribedAt.remove(channel, node.getNodeId())) {
					// Redis dropped it (a slot moved) or we asked to; subscribe again at
					// once if it is still wanted.
					if (ClusterRelay.this.wanted.contains(channel)) {
						resubscribe(List.of(channel));
					}
				}
			}

		});
		this.publishing = publishing;
		this.subscriptions = subscriptions;
		// Connect to every master now, so that the first publishes do not wait for it.
		for (RedisClusterNode node : publishing.getPartitions()) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
				publishing.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort());
			}
		}
		this.publisher.attach(publishing);
	}

	private static void checkShardedPubSub(StatefulRedisClusterConnection<String, byte[]> connection) {
		List<String> commands = List.of("SPUBLISH", "SSUBSCRIBE", "SUNSUBSCRIBE");
		List<Object> info = connection.sync().commandInfo(commands.toArray(String[]::new));
		List<String> missing = new ArrayList<>();
		for (int i = 0; i < commands.size(); i++) {
			if (i >= info.size() || info.get(i) == null) {
				missing.add(commands.get(i));
			}
		}
		if (!missing.isEmpty()) {
			throw new ShardedPubSubUnsupportedException(String.join(", ", missing));
		}
	}

	@Override
	protected CompletableFuture<Void> subscribeNow(String channel) {
		return connection().async().ssubscribe(channel).toCompletableFuture();
	}

	@Override
	protected CompletableFuture<Void> unsubscribeNow(String channel) {
		this.resubscribing.remove(channel);
		return connection().async().sunsubscribe(channel).toCompletableFuture();
	}

	private StatefulRedisClusterPubSubConnection<String, byte[]> connection() {
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions == null) {
			throw new IllegalStateException("Not connected");
		}
		return subscriptions;
	}

	@Override
	boolean isListening() {
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions == null || !subscriptions.isOpen()) {
			return false;
		}
		Partitions partitions = subscriptions.getPartitions();
		for (String channel : this.wanted) {
			RedisClusterNode owner = partitions.getMasterBySlot(SlotHash.getSlot(channel));
			if (owner == null || !owner.getNodeId().equals(this.subscribedAt.get(channel))
					|| !isOpen(subscriptions, owner)) {
				return false;
			}
		}
		return true;
	}

	@Override
	protected void tick() {
		super.tick();
		try {
			reconcile();
		}
		catch (RuntimeException ex) {
			logger.debug("Checking the shard subscriptions failed", ex);
		}
	}

	/**
	 * Subscribes again every channel that is not subscribed on the master of its slot,
	 * after reloading the topology if a master looks unreachable.
	 */
	private void reconcile() {
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions == null || isClosed()) {
			return;
		}
		Partitions partitions = subscriptions.getPartitions();
		List<String> lost = new ArrayList<>();
		boolean stale = false;
		for (String channel : this.wanted) {
			RedisClusterNode owner = partitions.getMasterBySlot(SlotHash.getSlot(channel));
			if (owner == null || !isOpen(subscriptions, owner)) {
				stale = true;
				lost.add(channel);
			}
			else if (!owner.getNodeId().equals(this.subscribedAt.get(channel))) {
				lost.add(channel);
			}
		}
		if (lost.isEmpty()) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug(lost.size() + " shard channel(s) not subscribed on their master"
					+ (stale ? ", reloading the cluster topology" : ""));
		}
		CompletionStage<?> refreshed = stale ? this.client.refreshPartitionsAsync()
				: CompletableFuture.completedFuture(null);
		refreshed.whenComplete((ignored, failure) -> resubscribe(lost));
	}

	private void resubscribe(List<String> channels) {
		if (isClosed()) {
			return;
		}
		for (String channel : channels) {
			CompletableFuture<Void> inFlight = this.resubscribing.get(channel);
			if ((inFlight != null && !inFlight.isDone()) || !this.wanted.contains(channel)) {
				continue;
			}
			CompletableFuture<Void> subscribed = subscribeNow(channel);
			this.resubscribing.put(channel, subscribed);
			subscribed.whenComplete((ok, failure) -> {
				this.resubscribing.remove(channel, subscribed);
				if (failure != null && logger.isDebugEnabled()) {
					logger.debug("Subscribing to a shard channel again failed, will retry: " + failure);
				}
			});
		}
	}

	private static boolean isOpen(StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions,
			RedisClusterNode node) {
		CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connection = subscriptions
			.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort());
		return connection.isDone() && !connection.isCompletedExceptionally() && connection.join().isOpen();
	}

	@Override
	protected void closeConnections() {
		StatefulRedisClusterConnection<String, byte[]> publishing = this.publishing;
		if (publishing != null) {
			publishing.closeAsync();
		}
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions != null) {
			subscriptions.closeAsync();
		}
	}

}
