package io.pikku.eventhub.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.Delivery;
import io.pikku.eventhub.EventHubStatistics;
import io.pikku.eventhub.LocalDelivery;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.eventhub.TopicSubscriber;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * An EventHub shared by every instance through Redis.
 *
 * <ul>
 * <li>A publish is delivered at once to this instance's subscribers, in the publishing
 * thread, then relayed on the topic's Redis pub/sub channel (sharded pub/sub on a Redis
 * Cluster, see {@link RedisKeys}). The relay is pipelined on a connection of its own and
 * the publish does not wait for Redis: its stage completes once the relay is queued, or
 * fails at once if it cannot be (Redis unreachable, too many awaiting Redis). Other
 * instances deliver it to their subscribers, each once and in the order of its publisher,
 * honouring the excluded channel id; an instance ignores its own relays.</li>
 * <li>Relays that arrive wait in a bounded queue and are delivered per topic, in order,
 * in bursts, by a few threads of the hub's own ({@code pikku-relay-N}), never on Redis's
 * I/O thread. An instance that falls behind by more than {@link RelayLimits#queue()}
 * publishes drops the oldest and counts them ({@link #relayDropped()}); a subscriber that
 * joins a topic receives none of what was waiting before it joined.</li>
 * <li>An instance listens only to the topics that have subscribers on it: it subscribes
 * to a topic's Redis channel with the first and unsubscribes after the last.
 * {@link #subscribe} completes once Redis has confirmed the subscription.</li>
 * <li>Topic membership lives in Redis sets for presence. Each instance refreshes the
 * expiry of what it owns every third of the instance TTL ({@link #refresh()}); what a
 * dead instance left expires, and presence queries drop members whose connection record
 * has expired. Nothing runs a script across keys, so it works in a Redis Cluster.</li>
 * <li>If Redis is down, local delivery goes on; relays fail visibly (logged, counted in
 * {@link #failedPublishes()}, and the returned stage fails). Lettuce reconnects and
 * restores every subscription, and the next refresh rewrites membership.</li>
 * <li>The runtime's messages travel on a pub/sub channel of their own that no topic name
 * maps to.</li>
 * </ul>
 */
public final class RedisEventHub extends AbstractEventHub implements EventHubStatistics, AutoCloseable, SmartLifecycle {

	/**
	 * The hub's phase as a Spring bean: it stops after the web server and the channel
	 * transports (whose closing connections still leave their topics) and before the
	 * Redis connection factory (phase 0) closes the connections it relays on.
	 */
	public static final int PHASE = 1024;

	private static final Log logger = LogFactory.getLog(RedisEventHub.class);

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	/** How many channel names of topics without subscribers here are remembered. */
	private static final int CHANNEL_NAMES = 10_000;

	/** How many relays one topic delivers before it lets other topics have the thread. */
	private static final int BURST = 256;

	/**
	 * Where the stages of subscriptions and presence complete: never on Redis's I/O
	 * thread, which would otherwise run every caller's continuation (the next call of
	 * each connection, its JSON, its reply) and become the one thread the whole instance
	 * waits for.
	 */
	private static final Executor COMPLETIONS = (task) -> Schedulers.boundedElastic().schedule(task);

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper mapper;

	private final RedisKeys keys;

	private final String instanceId;

	/** This instance in the relays' frames. */
	private final long origin = new SecureRandom().nextLong();

	private final Duration instanceTtl;

	private final Duration commandTimeout;

	private final RelayLimits limits;

	private final RelayClient relayClient;

	private final RedisRelay relay;

	private final ExecutorService deliveries;

	private final Map<String, LocalTopic> topics = new ConcurrentHashMap<>();

	/**
	 * The Redis channels of topics published to lately, at most {@link #CHANNEL_NAMES}.
	 */
	private final Map<String, String> channelNames = new ConcurrentHashMap<>();

	/** The topics with subscribers here, by their Redis channel. */
	private final Map<String, LocalTopic> topicsByRedisChannel = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> topicsByChannel = new ConcurrentHashMap<>();

	private final RuntimeInbox runtimeInbox;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong refusedPublishes = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	/** Relays waiting for delivery, over every topic. */
	private final AtomicInteger queued = new AtomicInteger();

	private volatile long lastRefusalLog;

	private volatile Consumer<Duration> relayLag = (lag) -> {
	};

	private volatile LocalDelivery delivery = (channelId, message) -> false;

	private volatile Consumer<String> runtimeMessages = (message) -> {
	};

	private volatile @Nullable CompletableFuture<Void> runtimeSubscribed;

	private volatile SubscriptionLimit subscriptionLimit = SubscriptionLimit.NONE;

	/**
	 * A hub on the given Redis, with the default {@link RelayLimits}.
	 * @param redis commands, on a {@link LettuceConnectionFactory}
	 * @param mapper writes payloads
	 * @param keys the key names
	 * @param instanceId this instance's unique id
	 * @param instanceTtl how long what this instance owns outlives it
	 * @param commandTimeout how long a subscribe, unsubscribe, presence query or health
	 * check waits for Redis before it fails
	 */
	public RedisEventHub(ReactiveStringRedisTemplate redis, JsonMapper mapper, RedisKeys keys, String instanceId,
			Duration instanceTtl, Duration commandTimeout) {
		this(redis, mapper, keys, instanceId, instanceTtl, commandTimeout, RelayLimits.DEFAULT);
	}

	/**
	 * A hub on the given Redis. It connects its relay at once (or, if Redis is
	 * unreachable, goes on trying in the background).
	 * @param redis commands, on a {@link LettuceConnectionFactory}
	 * @param mapper writes payloads
	 * @param keys the key names
	 * @param instanceId this instance's unique id
	 * @param instanceTtl how long what this instance owns outlives it
	 * @param commandTimeout how long a subscribe, unsubscribe, presence query or health
	 * check waits for Redis before it fails
	 * @param limits what the relay holds at most
	 * @throws ShardedPubSubUnsupportedException if the Redis is a cluster without sharded
	 * pub/sub
	 */
	public RedisEventHub(ReactiveStringRedisTemplate redis, JsonMapper mapper, RedisKeys keys, String instanceId,
			Duration instanceTtl, Duration commandTimeout, RelayLimits limits) {
		this.redis = redis;
		this.mapper = mapper;
		this.keys = keys;
		this.instanceId = instanceId;
		this.instanceTtl = instanceTtl;
		this.commandTimeout = commandTimeout;
		this.limits = limits;
		this.runtimeInbox = new RuntimeInbox(keys.runtime());
		this.deliveries = Executors.newFixedThreadPool(
				Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), new RelayThreads());
		this.relayClient = RelayClient.of(lettuce(redis.getConnectionFactory()));
		this.relay = RedisRelay.create(this.relayClient.client(), this::relayed, limits.pendingPublishes());
		try {
			this.relay.start();
		}
		catch (RuntimeException ex) {
			this.deliveries.shutdownNow();
			this.relayClient.close();
			throw ex;
		}
	}

	private static LettuceConnectionFactory lettuce(ReactiveRedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalArgumentException("The Redis EventHub relays with Lettuce: it needs a "
					+ LettuceConnectionFactory.class.getSimpleName() + ", not a "
					+ connectionFactory.getClass().getName());
		}
		return lettuce;
	}

	/**
	 * Limits how many topics one connection may subscribe to.
	 * @param subscriptionLimit the limit
	 */
	public void setSubscriptionLimit(SubscriptionLimit subscriptionLimit) {
		this.subscriptionLimit = subscriptionLimit;
	}

	@Override
	public synchronized void bind(LocalDelivery delivery, Consumer<String> runtimeMessages) {
		this.delivery = delivery;
		this.runtimeMessages = runtimeMessages;
		if (this.runtimeSubscribed == null) {
			this.runtimeSubscribed = this.relay.subscribe(this.runtimeInbox.channel);
		}
	}

	@Override
	public CompletionStage<Void> sendToRuntimes(String message) {
		this.runtimeMessages.accept(message);
		byte[] payload = message.getBytes(StandardCharsets.UTF_8);
		long sentAt = System.currentTimeMillis();
		RelayRefusedException refused = this.relay.publish(this.runtimeInbox.channel,
				(sequence) -> RelayFrame.encode(this.origin, sequence, sentAt, null, payload));
		if (refused != null) {
			logger.warn("Could not send a runtime message to other instances: " + refused.getMessage());
			return CompletableFuture.failedFuture(refused);
		}
		return DONE;
	}

	@Override
	protected CompletionStage<Void> subscribeKey(String topic, String channelId) {
		CompletableFuture<Void> refused = checked(topic);
		if (refused == null) {
			refused = this.subscriptionLimit.check(this.topicsByChannel, topic, channelId);
		}
		if (refused != null) {
			return refused;
		}
		LocalTopic local = this.topics.compute(topic, (key, existing) -> {
			LocalTopic current = existing;
			if (current == null) {
				current = new LocalTopic(key, this.keys.events(key));
				this.topicsByRedisChannel.put(current.channel, current);
				current.subscribed = this.relay.subscribe(current.channel);
			}
			else {
				subscribeAgainIfFailed(current);
			}
			current.channels.putIfAbsent(channelId, current.arrivals.get());
			return current;
		});
		this.topicsByChannel.computeIfAbsent(channelId, (key) -> ConcurrentHashMap.newKeySet()).add(topic);
		String members = this.keys.topicMembers(topic);
		CompletableFuture<Void> membership = this.redis.opsForSet()
			.add(members, channelId)
			.then(this.redis.expire(members, this.instanceTtl))
			.then()
			.toFuture();
		return CompletableFuture.allOf(local.subscribed, membership)
			.orTimeout(this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenApplyAsync(Function.identity(), COMPLETIONS);
	}

	@Override
	protected CompletionStage<Void> unsubscribeKey(String topic, String channelId) {
		CompletableFuture<Void> refused = checked(topic);
		if (refused != null) {
			return refused;
		}
		Set<String> channelTopics = this.topicsByChannel.get(channelId);
		if (channelTopics != null) {
			channelTopics.remove(topic);
		}
		return leave(topic, channelId);
	}

	private CompletableFuture<Void> leave(String topic, String channelId) {
		this.topics.computeIfPresent(topic, (key, local) -> {
			local.channels.remove(channelId);
			if (local.channels.isEmpty()) {
				this.topicsByRedisChannel.remove(local.channel, local);
				this.relay.unsubscribe(local.channel);
				local.discard();
				return null;
			}
			return local;
		});
		return this.redis.opsForSet().remove(this.keys.topicMembers(topic), channelId).then().toFuture();
	}

	@Override
	protected CompletionStage<Void> publishKey(String topic, @Nullable String excludeChannelId, Object payload) {
		CompletableFuture<Void> invalid = checked(topic);
		if (invalid != null) {
			return invalid;
		}
		this.published.incrementAndGet();
		Delivery message = Delivery.of(topic, payload, this.mapper);
		LocalTopic local = this.topics.get(topic);
		if (local != null) {
			deliver(local, excludeChannelId, message, Long.MAX_VALUE);
		}
		byte[] framed = message.utf8();
		long sentAt = System.currentTimeMillis();
		String channel = (local != null) ? local.channel : channelOf(topic);
		RelayRefusedException refused = this.relay.publish(channel,
				(sequence) -> RelayFrame.encode(this.origin, sequence, sentAt, excludeChannelId, framed));
		if (refused != null) {
			this.refusedPublishes.incrementAndGet();
			logRefusal(topic, refused);
			return CompletableFuture.failedFuture(refused);
		}
		return DONE;
	}

	/**
	 * The Redis channel of a topic without subscribers here, remembered for the next
	 * publish (a hash per publish would cost more than the rest of the relay's framing).
	 */
	private String channelOf(String topic) {
		String channel = this.channelNames.get(topic);
		if (channel == null) {
			if (this.channelNames.size() >= CHANNEL_NAMES) {
				this.channelNames.clear();
			}
			channel = this.keys.events(topic);
			this.channelNames.put(topic, channel);
		}
		return channel;
	}

	private void logRefusal(String topic, RelayRefusedException refused) {
		long now = System.nanoTime();
		if (now - this.lastRefusalLog > TimeUnit.SECONDS.toNanos(10) || logger.isDebugEnabled()) {
			this.lastRefusalLog = now;
			logger.warn("Could not relay a publish to topic '" + topic + "' to other instances (" + failedPublishes()
					+ " so far): " + refused.getMessage());
		}
	}

	/**
	 * Delivers to the connections of a topic here.
	 * @param arrival the number of the relay's arrival: connections that joined the topic
	 * after it are skipped ({@link Long#MAX_VALUE} for a publish of this instance)
	 */
	private void deliver(LocalTopic local, @Nullable String excludeChannelId, Delivery message, long arrival) {
		LocalDelivery delivery = this.delivery;
		for (Map.Entry<String, Long> subscriber : local.channels.entrySet()) {
			String channelId = subscriber.getKey();
			if (subscriber.getValue() >= arrival || channelId.equals(excludeChannelId)) {
				continue;
			}
			if (delivery.deliver(channelId, message)) {
				this.delivered.incrementAndGet();
			}
			else {
				unsubscribeKey(local.key, channelId);
			}
		}
	}

	/** A message from Redis, on Lettuce's I/O thread: queue it, deliver elsewhere. */
	private void relayed(String channel, byte[] message) {
		Inbox inbox = this.topicsByRedisChannel.get(channel);
		if (inbox == null) {
			if (!channel.equals(this.runtimeInbox.channel)) {
				return;
			}
			inbox = this.runtimeInbox;
		}
		if (RelayFrame.isFrom(message, this.origin)) {
			return;
		}
		inbox.arrived(message);
	}

	/**
	 * Refuses a topic key that Redis cannot name exactly: Redis names are UTF-8, where a
	 * lone surrogate would become {@code ?} and the topic would share its name with
	 * another.
	 */
	private static @Nullable CompletableFuture<Void> checked(String topic) {
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < topic.length()
					&& Character.isLowSurrogate(topic.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return CompletableFuture.failedFuture(new IllegalArgumentException(
						"A topic name on Redis must be valid Unicode; it has a lone surrogate at index " + i));
			}
		}
		return null;
	}

	@Override
	protected CompletionStage<List<TopicSubscriber>> subscribersOfKey(String topic) {
		CompletableFuture<Void> invalid = checked(topic);
		if (invalid != null) {
			return invalid.thenApply((ignored) -> List.of());
		}
		String members = this.keys.topicMembers(topic);
		// One command per record (each in its own slot on a cluster), pipelined by
		// Lettuce; members whose record has expired are dropped from the topic.
		return this.redis.opsForSet()
			.members(members)
			.flatMap((channelId) -> this.redis.<String, String>opsForHash()
				.multiGet(this.keys.channel(channelId), List.of("channelName", "userId"))
				.map((fields) -> new Member(channelId, fields.get(0) != null, fields.get(1))), 64)
			.collectList()
			.flatMap((found) -> {
				List<TopicSubscriber> subscribers = new ArrayList<>(found.size());
				List<String> gone = new ArrayList<>();
				for (Member member : found) {
					if (member.live()) {
						subscribers.add(new TopicSubscriber(member.channelId(), member.userId()));
					}
					else {
						gone.add(member.channelId());
					}
				}
				subscribers.sort(Comparator.comparing(TopicSubscriber::channelId));
				Mono<Long> cleanUp = gone.isEmpty() ? Mono.just(0L)
						: this.redis.opsForSet().remove(members, gone.toArray());
				return cleanUp.thenReturn(subscribers);
			})
			.timeout(this.commandTimeout)
			.toFuture()
			.thenApplyAsync(Function.identity(), COMPLETIONS);
	}

	private record Member(String channelId, boolean live, @Nullable String userId) {
	}

	@Override
	public CompletionStage<Void> channelClosed(String channelId) {
		Set<String> channelTopics = this.topicsByChannel.remove(channelId);
		if (channelTopics == null || channelTopics.isEmpty()) {
			return DONE;
		}
		List<CompletableFuture<Void>> removals = new ArrayList<>();
		for (String topic : channelTopics) {
			removals.add(leave(topic, channelId));
		}
		return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
	}

	/**
	 * Rewrites this instance's topic memberships and their expiry; called every third of
	 * the instance TTL, and restores membership after Redis lost it.
	 * @return completes when written
	 */
	public CompletionStage<Void> refresh() {
		for (String topic : this.topics.keySet()) {
			this.topics.computeIfPresent(topic, (key, local) -> {
				subscribeAgainIfFailed(local);
				return local;
			});
		}
		synchronized (this) {
			if (this.runtimeSubscribed != null && this.runtimeSubscribed.isCompletedExceptionally()) {
				this.runtimeSubscribed = this.relay.subscribe(this.runtimeInbox.channel);
			}
		}
		return Flux.fromIterable(this.topics.values()).flatMap((local) -> {
			String[] members = local.channels.keySet().toArray(String[]::new);
			if (members.length == 0) {
				return Mono.empty();
			}
			String key = this.keys.topicMembers(local.key);
			return this.redis.opsForSet().add(key, members).then(this.redis.expire(key, this.instanceTtl));
		}).then().toFuture();
	}

	/**
	 * Asks Redis again for a topic's subscription that failed (Redis was away longer than
	 * a command may wait): Lettuce restores only the subscriptions Redis confirmed.
	 * Called where the topic is computed.
	 */
	private void subscribeAgainIfFailed(LocalTopic local) {
		if (local.subscribed.isCompletedExceptionally()) {
			local.subscribed = this.relay.subscribe(local.channel);
		}
	}

	/**
	 * Checks that Redis answers.
	 * @return completes with Redis's answer, or fails after the command timeout
	 */
	public CompletionStage<String> ping() {
		return this.redis.execute((connection) -> connection.ping()).next().timeout(this.commandTimeout).toFuture();
	}

	/**
	 * Stops relaying, once the publishes accepted so far have reached Redis (waiting at
	 * most the command timeout); later relays are not received, and later publishes are
	 * delivered here only.
	 */
	@Override
	public synchronized void close() {
		if (this.relay.isClosed()) {
			return;
		}
		this.relay.close(this.commandTimeout);
		this.relayClient.close();
		this.deliveries.shutdown();
	}

	/** Nothing to do: the hub connects when it is built. */
	@Override
	public void start() {
	}

	/**
	 * Closes the hub (see {@link #close()}): publishes accepted so far are relayed first,
	 * waiting at most the command timeout.
	 */
	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return !this.relay.isClosed();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public long published() {
		return this.published.get();
	}

	@Override
	public long delivered() {
		return this.delivered.get();
	}

	@Override
	public void onRelayLag(Consumer<Duration> recorder) {
		this.relayLag = recorder;
	}

	@Override
	public boolean relays() {
		return true;
	}

	@Override
	public long relayReceived() {
		return this.received.get();
	}

	@Override
	public long relayFailed() {
		return failedPublishes();
	}

	@Override
	public long relayDropped() {
		return this.dropped.get();
	}

	@Override
	public int relayQueued() {
		return this.queued.get();
	}

	@Override
	public int relayPending() {
		return this.relay.pending();
	}

	/**
	 * How many publishes could not be relayed to other instances: refused at once, or
	 * failed after they were queued.
	 * @return the count since start
	 */
	public long failedPublishes() {
		return this.refusedPublishes.get() + this.relay.failed();
	}

	/**
	 * Whether every topic with local subscribers (and the runtime's channel) is listened
	 * to on Redis.
	 * @return whether relays reach this instance
	 */
	public boolean isListening() {
		CompletableFuture<Void> runtimeSubscribed = this.runtimeSubscribed;
		return this.relay.isListening() && (runtimeSubscribed == null || isDone(runtimeSubscribed))
				&& this.topics.values().stream().allMatch((local) -> isDone(local.subscribed));
	}

	private static boolean isDone(CompletableFuture<Void> subscribed) {
		return subscribed.isDone() && !subscribed.isCompletedExceptionally();
	}

	/**
	 * The topics with subscribers on this instance.
	 * @return the topic names
	 */
	public Set<String> localTopics() {
		return Set.copyOf(this.topics.keySet());
	}

	@Override
	public String toString() {
		return "RedisEventHub[" + this.instanceId + "]";
	}

	/**
	 * Relays that arrived on one Redis channel, delivered in order by one thread at a
	 * time, a burst per turn; each is delivered once: one that arrives again, or after a
	 * later one of the same publisher, is dropped.
	 */
	private abstract class Inbox implements Runnable {

		final String channel;

		/** Numbers the arrivals, so that a subscriber gets only what arrived after it. */
		final AtomicLong arrivals = new AtomicLong();

		private final ConcurrentLinkedQueue<Arrival> queue = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean scheduled = new AtomicBoolean();

		// Read and written by the thread that delivers, one at a time.
		private long lastOrigin;

		private long lastSequence = -1;

		private final Map<Long, Long> sequences = new HashMap<>();

		Inbox(String channel) {
			this.channel = channel;
		}

		/** On Lettuce's I/O thread. */
		void arrived(byte[] message) {
			long number = this.arrivals.incrementAndGet();
			if (RedisEventHub.this.queued.get() >= RedisEventHub.this.limits.queue()) {
				// Behind by a full queue: the oldest of this topic goes first.
				if (this.queue.poll() != null) {
					RedisEventHub.this.queued.decrementAndGet();
				}
				else {
					RedisEventHub.this.dropped.incrementAndGet();
					return;
				}
				RedisEventHub.this.dropped.incrementAndGet();
			}
			this.queue.add(new Arrival(message, number));
			RedisEventHub.this.queued.incrementAndGet();
			schedule();
		}

		private void schedule() {
			if (this.scheduled.compareAndSet(false, true)) {
				try {
					RedisEventHub.this.deliveries.execute(this);
				}
				catch (RejectedExecutionException ex) {
					// closed
					this.scheduled.set(false);
				}
			}
		}

		@Override
		public void run() {
			try {
				for (int i = 0; i < BURST; i++) {
					Arrival arrival = this.queue.poll();
					if (arrival == null) {
						break;
					}
					RedisEventHub.this.queued.decrementAndGet();
					handle(arrival, i == 0);
				}
			}
			finally {
				this.scheduled.set(false);
				if (!this.queue.isEmpty()) {
					schedule();
				}
			}
		}

		private void handle(Arrival arrival, boolean first) {
			RelayFrame frame;
			try {
				frame = RelayFrame.decode(arrival.message());
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Ignoring a malformed relay on Redis channel '" + this.channel + "'");
				return;
			}
			if (!isNew(frame)) {
				RedisEventHub.this.dropped.incrementAndGet();
				return;
			}
			RedisEventHub.this.received.incrementAndGet();
			if (first) {
				RedisEventHub.this.relayLag
					.accept(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - frame.sentAt())));
			}
			try {
				deliver(frame, arrival.number());
			}
			catch (RuntimeException ex) {
				logger.error("Delivering a relay on Redis channel '" + this.channel + "' failed", ex);
			}
		}

		/** Whether a frame comes after every one seen before from its origin. */
		private boolean isNew(RelayFrame frame) {
			long origin = frame.origin();
			if (this.lastSequence < 0 || origin != this.lastOrigin) {
				if (this.lastSequence >= 0) {
					this.sequences.put(this.lastOrigin, this.lastSequence);
				}
				Long known = this.sequences.get(origin);
				this.lastOrigin = origin;
				this.lastSequence = (known != null) ? known : 0;
			}
			if (frame.sequence() <= this.lastSequence) {
				return false;
			}
			this.lastSequence = frame.sequence();
			return true;
		}

		void discard() {
			int discarded = 0;
			while (this.queue.poll() != null) {
				discarded++;
			}
			RedisEventHub.this.queued.addAndGet(-discarded);
		}

		abstract void deliver(RelayFrame frame, long arrival);

	}

	private record Arrival(byte[] message, long number) {
	}

	/**
	 * A topic with subscribers on this instance: its connections (with the arrival number
	 * when each joined), its Redis subscription and its inbox.
	 */
	private final class LocalTopic extends Inbox {

		final String key;

		final Map<String, Long> channels = new ConcurrentHashMap<>();

		volatile CompletableFuture<Void> subscribed = DONE;

		LocalTopic(String key, String channel) {
			super(channel);
			this.key = key;
		}

		@Override
		void deliver(RelayFrame frame, long arrival) {
			Delivery message = Delivery.ofText(this.key, frame.payload(), RedisEventHub.this.mapper);
			RedisEventHub.this.deliver(this, frame.exclude(), message, arrival);
		}

	}

	/** The runtime's messages from other instances. */
	private final class RuntimeInbox extends Inbox {

		RuntimeInbox(String channel) {
			super(channel);
		}

		@Override
		void deliver(RelayFrame frame, long arrival) {
			RedisEventHub.this.runtimeMessages.accept(frame.payload());
		}

	}

	private static final class RelayThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "pikku-relay-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
