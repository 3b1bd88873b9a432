package io.pikku.eventhub.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.MovedRedirectionEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * The relay on a Redis Cluster, with sharded pub/sub: a topic's messages go with
 * {@code SPUBLISH} to the one shard that owns its channel's slot (not, as classic
 * {@code PUBLISH} in a cluster, to every node), and {@code SSUBSCRIBE} listens on that
 * shard's master. Lettuce routes both by slot.
 *
 * <p>
 * A shard's master can fail, and its replica take over, or slots can move: Redis then
 * unsubscribes the listeners of the moved channels, or the connection to the old master
 * drops. Every {@link #TICK}, and at once after such an unsubscribe, a dropped connection
 * or a redirect, the relay checks that each channel it listens to is subscribed on the
 * master that owns the channel's slot now, reloading the cluster's topology when it may
 * have changed (and every {@link #REFRESH_EVERY} anyway), and subscribes again where
 * needed. A publish to a shard whose master is unreachable is refused at once. A message
 * that arrives twice meanwhile (on an old and a new subscription, or replayed) is dropped
 * by the receiving hub, which delivers each message once.
 */
final class ClusterRelay extends RedisRelay {

	private static final Log logger = LogFactory.getLog(ClusterRelay.class);

	/** How often the topology is reloaded when nothing suggests it changed. */
	static final Duration REFRESH_EVERY = Duration.ofSeconds(10);

	/**
	 * How long a subscription sent again may stay unconfirmed before it is sent again.
	 */
	private static final long RETRY_AFTER = TICK.multipliedBy(2).toNanos();

	/** How soon after a sign of change the topology is reloaded. */
	private static final Duration SOON = Duration.ofMillis(100);

	private final RedisClusterClient client;

	private volatile @Nullable StatefulRedisClusterConnection<String, byte[]> publishing;

	private volatile @Nullable StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions;

	/** The nodes each channel is subscribed on, as Redis confirmed. */
	private final Map<String, Set<String>> subscribedAt = new ConcurrentHashMap<>();

	/**
	 * Subscriptions sent again and not confirmed yet; one sent to a master that died
	 * meanwhile waits in Lettuce's buffer, so it is sent again after a while.
	 */
	private final Map<String, Attempt> resubscribing = new ConcurrentHashMap<>();

	private final AtomicBoolean checkScheduled = new AtomicBoolean();

	private volatile boolean refreshWanted;

	private volatile long refreshedAt = System.nanoTime();

	private volatile @Nullable Disposable events;

	/** Follows this client's pub/sub connections to the nodes. */
	private final RedisConnectionStateListener connections = new RedisConnectionStateListener() {

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
			if (connection instanceof StatefulRedisPubSubConnection) {
				reconnected(connection);
			}
		}

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			if (connection instanceof StatefulRedisPubSubConnection) {
				topologyMayHaveChanged();
			}
		}

	};

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
					ClusterRelay.this.subscribedAt.computeIfAbsent(channel, (key) -> ConcurrentHashMap.newKeySet())
						.add(node.getNodeId());
				}
			}

			@Override
			public void sunsubscribed(RedisClusterNode node, String channel, long count) {
				Set<String> nodes = ClusterRelay.this.subscribedAt.get(channel);
				if (node != null && nodes != null) {
					nodes.remove(node.getNodeId());
					if (nodes.isEmpty() && !ClusterRelay.this.wanted.contains(channel)) {
						ClusterRelay.this.subscribedAt.remove(channel, nodes);
					}
				}
				// Redis dropped it (a slot moved) or we asked to: check at once whether
				// the master of its slot still has it.
				if (ClusterRelay.this.wanted.contains(channel)) {
					topologyMayHaveChanged();
				}
			}

		});
		this.publishing = publishing;
		this.subscriptions = subscriptions;
		this.events = this.client.getResources()
			.eventBus()
			.get()
			.filter((event) -> event instanceof MovedRedirectionEvent)
			.subscribe((event) -> topologyMayHaveChanged());
		this.client.addListener(this.connections);
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

	/**
	 * Whether the master of the channel's slot is reachable: a publish to a master that
	 * is down would wait in Lettuce's buffer until it comes back or times out, so it is
	 * refused at once instead, as on a single Redis that is down.
	 */
	@Override
	protected boolean canReach(String channel) {
		StatefulRedisClusterConnection<String, byte[]> publishing = this.publishing;
		if (publishing == null) {
			return false;
		}
		RedisClusterNode master = publishing.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
		return master != null
				&& isOpen(publishing.getConnectionAsync(master.getUri().getHost(), master.getUri().getPort()));
	}

	@Override
	protected CompletableFuture<Void> subscribeNow(String channel) {
		return connection().async().ssubscribe(channel).toCompletableFuture();
	}

	/**
	 * A pub/sub connection to a node (re)connected: whatever was subscribed on it went
	 * with the old connection. Lettuce subscribes again, but in one command for all the
	 * connection's shard channels, which Redis refuses when they are in different slots
	 * ({@code CROSSSLOT}): so the relay forgets them and subscribes each again itself.
	 */
	private void reconnected(RedisChannelHandler<?, ?> connection) {
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions == null) {
			return;
		}
		Partitions partitions = subscriptions.getPartitions();
		Set<String> nodeIds = new HashSet<>();
		this.subscribedAt.values().forEach(nodeIds::addAll);
		for (String nodeId : nodeIds) {
			RedisClusterNode node = partitions.getPartitionByNodeId(nodeId);
			CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> nodeConnection = (node != null)
					? subscriptions.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()) : null;
			if (nodeConnection != null && nodeConnection.getNow(null) == connection) {
				this.subscribedAt.values().forEach((nodes) -> nodes.remove(nodeId));
			}
		}
		topologyMayHaveChanged();
	}

	private boolean isSubscribedAt(String channel, RedisClusterNode node) {
		return this.subscribedAt.getOrDefault(channel, Set.of()).contains(node.getNodeId());
	}

	/** Unsubscribes a channel on one node, e.g. the one that served its slot before. */
	private void unsubscribeAt(StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions,
			Partitions partitions, String nodeId, String channel) {
		RedisClusterNode node = partitions.getPartitionByNodeId(nodeId);
		if (node == null) {
			// gone from the cluster, and its connection with it
			this.subscribedAt.getOrDefault(channel, Set.of()).remove(nodeId);
			return;
		}
		CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> connection = subscriptions
			.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort());
		if (isOpen(connection)) {
			connection.join().async().sunsubscribe(channel);
		}
	}

	@Override
	protected CompletableFuture<Void> unsubscribeNow(String channel) {
		this.resubscribing.remove(channel);
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = connection();
		Partitions partitions = subscriptions.getPartitions();
		RedisClusterNode owner = partitions.getMasterBySlot(SlotHash.getSlot(channel));
		for (String nodeId : this.subscribedAt.getOrDefault(channel, Set.of())) {
			if (owner == null || !nodeId.equals(owner.getNodeId())) {
				unsubscribeAt(subscriptions, partitions, nodeId, channel);
			}
		}
		return subscriptions.async().sunsubscribe(channel).toCompletableFuture();
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
			if (owner == null || !isSubscribedAt(channel, owner) || !isOpen(subscriptions, owner)) {
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
	 * Asks for a reload of the topology and a check of the subscriptions soon: a
	 * connection dropped (a master may be failing over), or Redis redirected a command
	 * (slots moved).
	 */
	private void topologyMayHaveChanged() {
		this.refreshWanted = true;
		if (this.checkScheduled.compareAndSet(false, true)) {
			schedule(() -> {
				this.checkScheduled.set(false);
				tick();
			}, SOON);
		}
	}

	/**
	 * Subscribes again every channel that is not subscribed on the master of its slot,
	 * after reloading the topology when it may have changed: after a dropped connection
	 * or a redirect, while a master is unreachable, and every {@link #REFRESH_EVERY}
	 * anyway (a master that restarted as a replica between two checks leaves no other
	 * trace).
	 */
	private void reconcile() {
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions == null || isClosed()) {
			return;
		}
		long now = System.nanoTime();
		boolean refresh = this.refreshWanted || now - this.refreshedAt > REFRESH_EVERY.toNanos()
				|| !mastersReachable(subscriptions.getPartitions());
		if (!refresh) {
			resubscribeLost(subscriptions);
			return;
		}
		this.refreshWanted = false;
		this.refreshedAt = now;
		this.client.refreshPartitionsAsync().whenComplete((ignored, failure) -> {
			if (failure != null) {
				this.refreshWanted = true;
			}
			resubscribeLost(subscriptions);
		});
	}

	private void resubscribeLost(StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions) {
		Partitions partitions = subscriptions.getPartitions();
		List<String> lost = new ArrayList<>();
		for (String channel : this.wanted) {
			RedisClusterNode owner = partitions.getMasterBySlot(SlotHash.getSlot(channel));
			if (owner == null || !isOpen(subscriptions, owner)) {
				// Down, or not known yet: the next check reloads the topology, and
				// subscribes there once its master answers.
				this.refreshWanted = true;
			}
			else if (!isSubscribedAt(channel, owner)) {
				lost.add(channel);
			}
			else {
				// Subscribed on the master of its slot: one left on a node that no
				// longer serves the slot (a demoted master keeps its subscribers, and
				// replicas receive the shard's messages too) would deliver every
				// message twice. (Only now: while the topology seen here is stale, the
				// node it calls the master may not be one.)
				for (String nodeId : this.subscribedAt.getOrDefault(channel, Set.of())) {
					if (!nodeId.equals(owner.getNodeId())) {
						unsubscribeAt(subscriptions, partitions, nodeId, channel);
					}
				}
			}
		}
		if (!lost.isEmpty()) {
			if (logger.isDebugEnabled()) {
				logger.debug(lost.size() + " shard channel(s) not subscribed on their master, subscribing again");
			}
			resubscribe(lost);
		}
	}

	/** Whether the publishing connection reaches every master of the topology. */
	private boolean mastersReachable(Partitions partitions) {
		StatefulRedisClusterConnection<String, byte[]> publishing = this.publishing;
		if (publishing == null) {
			return true;
		}
		for (RedisClusterNode node : partitions) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.hasNoSlots()
					&& !isOpen(publishing.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()))) {
				return false;
			}
		}
		return true;
	}

	private void resubscribe(List<String> channels) {
		if (isClosed()) {
			return;
		}
		long now = System.nanoTime();
		for (String channel : channels) {
			Attempt inFlight = this.resubscribing.get(channel);
			if ((inFlight != null && !inFlight.subscribed().isDone() && now - inFlight.startedAt() < RETRY_AFTER)
					|| !this.wanted.contains(channel)) {
				continue;
			}
			Attempt attempt = new Attempt(subscribeNow(channel), now);
			this.resubscribing.put(channel, attempt);
			attempt.subscribed().whenComplete((ok, failure) -> {
				this.resubscribing.remove(channel, attempt);
				if (failure != null && logger.isDebugEnabled()) {
					logger.debug("Subscribing to a shard channel again failed, will retry: " + failure);
				}
			});
		}
	}

	private static boolean isOpen(StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions,
			RedisClusterNode node) {
		return isOpen(subscriptions.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()));
	}

	private static boolean isOpen(CompletableFuture<? extends StatefulConnection<?, ?>> connection) {
		return connection.isDone() && !connection.isCompletedExceptionally() && connection.join().isOpen();
	}

	@Override
	protected void closeConnections() {
		Disposable events = this.events;
		if (events != null) {
			events.dispose();
		}
		this.client.removeListener(this.connections);
		StatefulRedisClusterConnection<String, byte[]> publishing = this.publishing;
		if (publishing != null) {
			publishing.close();
		}
		StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions != null) {
			subscriptions.close();
		}
	}

	private record Attempt(CompletableFuture<Void> subscribed, long startedAt) {
	}

}
