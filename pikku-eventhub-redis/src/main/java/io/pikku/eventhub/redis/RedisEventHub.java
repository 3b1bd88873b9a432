package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import io.pikku.eventhub.Delivery;
import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.EventHubStatistics;
import io.pikku.eventhub.LocalDelivery;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.eventhub.TopicSubscriber;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * An EventHub shared by every instance through Redis.
 *
 * <ul>
 * <li>A publish is delivered at once to this instance's subscribers, then relayed on the
 * topic's Redis pub/sub channel; other instances deliver it to theirs, each once,
 * honouring the excluded channel id. An instance ignores its own relays.</li>
 * <li>An instance listens only to the topics that have subscribers on it: it subscribes
 * to a topic's Redis channel with the first and unsubscribes after the last.
 * {@link #subscribe} completes once Redis has confirmed the subscription.</li>
 * <li>Topic membership lives in Redis sets for presence. Each instance refreshes the
 * expiry of what it owns every third of the instance TTL ({@link #refresh()}); what a
 * dead instance left expires, and presence queries drop members whose connection record
 * has expired.</li>
 * <li>If Redis is down, local delivery goes on; relays fail visibly (logged, counted in
 * {@link #failedPublishes()}, and the returned stage fails). Lettuce reconnects and
 * restores every subscription, and the next refresh rewrites membership.</li>
 * <li>A topic's keys and pub/sub channel are named from its exact name
 * ({@link RedisKeys}), subscribed without patterns; the runtime's messages travel on a
 * pub/sub channel of their own that no topic name maps to.</li>
 * </ul>
 */
public final class RedisEventHub extends AbstractEventHub implements EventHubStatistics, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisEventHub.class);

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	/**
	 * How long a subscribe waits for Redis before it fails (the subscription goes on).
	 */
	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	/** Members of a topic whose connection record still exists, with their user ids. */
	private static final RedisScript<List> SUBSCRIBERS = RedisScript.of("""
			local members = redis.call('SMEMBERS', KEYS[1])
			local result = {}
			for _, id in ipairs(members) do
			  local key = ARGV[1] .. id
			  if redis.call('EXISTS', key) == 1 then
			    local user = redis.call('HGET', key, 'userId')
			    table.insert(result, id)
			    table.insert(result, user or '')
			  else
			    redis.call('SREM', KEYS[1], id)
			  end
			end
			return result
			""", List.class);

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final JsonMapper mapper;

	private final RedisKeys keys;

	private final String instanceId;

	private final Duration instanceTtl;

	private final Duration commandTimeout;

	private final Map<String, LocalTopic> topics = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> topicsByChannel = new ConcurrentHashMap<>();

	/**
	 * Where the stages this hub returns complete: never on Redis's I/O thread, which
	 * would otherwise run every caller's continuation (the next call of each connection,
	 * its JSON, its reply) and become the one thread the whole instance waits for.
	 */
	private static final Executor COMPLETIONS = (task) -> Schedulers.boundedElastic().schedule(task);

	private final AtomicLong failedPublishes = new AtomicLong();

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong delivered = new AtomicLong();

	private volatile Consumer<Duration> relayLag = (lag) -> {
	};

	private volatile LocalDelivery delivery = (channelId, message) -> false;

	private volatile Consumer<String> runtimeMessages = (message) -> {
	};

	/** The subscription to the runtime's own channel, once bound. */
	private volatile @Nullable Disposable runtimeListener;

	private final CompletableFuture<Void> runtimeSubscribed = new CompletableFuture<>();

	private volatile SubscriptionLimit subscriptionLimit = SubscriptionLimit.NONE;

	private volatile boolean closed;

	/**
	 * A hub on the given Redis.
	 * @param redis commands
	 * @param listeners the pub/sub subscriptions
	 * @param mapper writes payloads
	 * @param keys the key names
	 * @param instanceId this instance's unique id
	 * @param instanceTtl how long what this instance owns outlives it
	 * @param commandTimeout how long a publish or subscribe waits for Redis before it
	 * fails (while Redis is unreachable, commands would otherwise wait for it to return)
	 */
	public RedisEventHub(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer listeners,
			JsonMapper mapper, RedisKeys keys, String instanceId, Duration instanceTtl, Duration commandTimeout) {
		if (instanceId.contains("\n")) {
			throw new IllegalArgumentException("The instance id must not contain a line break");
		}
		this.redis = redis;
		this.listeners = listeners;
		this.mapper = mapper;
		this.keys = keys;
		this.instanceId = instanceId;
		this.instanceTtl = instanceTtl;
		this.commandTimeout = commandTimeout;
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
		if (this.runtimeListener == null) {
			this.runtimeListener = listen(this.keys.runtime(), this.runtimeSubscribed, this::runtimeRelayed,
					"the runtime's messages");
		}
	}

	@Override
	public CompletionStage<Void> sendToRuntimes(String message) {
		this.runtimeMessages.accept(message);
		return this.redis.convertAndSend(this.keys.runtime(), this.instanceId + "\n" + message)
			.timeout(this.commandTimeout)
			.then()
			.toFuture()
			.whenComplete((ok, ex) -> {
				if (ex != null) {
					logger.warn("Could not send a runtime message to other instances: " + ex);
				}
			})
			.thenApplyAsync(Function.identity(), COMPLETIONS);
	}

	private void runtimeRelayed(String relay) {
		int originEnd = relay.indexOf('\n');
		if (originEnd < 0) {
			logger.warn("Ignoring a malformed runtime message");
			return;
		}
		if (originEnd == this.instanceId.length() && relay.startsWith(this.instanceId)) {
			return;
		}
		this.runtimeMessages.accept(relay.substring(originEnd + 1));
	}

	@Override
	protected CompletionStage<Void> subscribeKey(String topic, String channelId) {
		CompletableFuture<Void> refused = this.subscriptionLimit.check(this.topicsByChannel, topic, channelId);
		if (refused != null) {
			return refused;
		}
		LocalTopic[] started = new LocalTopic[1];
		LocalTopic local = this.topics.compute(topic, (key, existing) -> {
			LocalTopic current = (existing != null) ? existing : new LocalTopic(topic);
			if (existing == null) {
				started[0] = current;
			}
			current.channels.add(channelId);
			return current;
		});
		this.topicsByChannel.computeIfAbsent(channelId, (key) -> ConcurrentHashMap.newKeySet()).add(topic);
		if (started[0] != null) {
			started[0].listen();
		}
		String members = this.keys.topicMembers(topic);
		CompletableFuture<Void> membership = this.redis.opsForSet()
			.add(members, channelId)
			.then(this.redis.expire(members, this.instanceTtl))
			.then()
			.toFuture();
		return CompletableFuture.allOf(local.subscribed, membership)
			.orTimeout(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.thenApplyAsync(Function.identity(), COMPLETIONS);
	}

	@Override
	protected CompletionStage<Void> unsubscribeKey(String topic, String channelId) {
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
				local.stop();
				return null;
			}
			return local;
		});
		return this.redis.opsForSet().remove(this.keys.topicMembers(topic), channelId).then().toFuture();
	}

	@Override
	protected CompletionStage<Void> publishKey(String topic, @Nullable String excludeChannelId, Object payload) {
		this.published.incrementAndGet();
		Delivery message = Delivery.of(topic, payload, this.mapper);
		deliverLocally(topic, excludeChannelId, message);
		String relay = this.instanceId + "\n" + ((excludeChannelId != null) ? excludeChannelId : "") + "\n"
				+ System.currentTimeMillis() + "\n" + message.text();
		return this.redis.convertAndSend(this.keys.events(topic), relay)
			.timeout(this.commandTimeout)
			.then()
			.toFuture()
			.whenComplete((ok, ex) -> {
				if (ex != null) {
					this.failedPublishes.incrementAndGet();
					logger.warn("Could not relay a publish to topic '" + topic + "' to other instances: " + ex);
				}
			})
			.thenApplyAsync(Function.identity(), COMPLETIONS);
	}

	private void deliverLocally(String topic, @Nullable String excludeChannelId, Delivery message) {
		LocalTopic local = this.topics.get(topic);
		if (local == null) {
			return;
		}
		for (String channelId : local.channels) {
			if (channelId.equals(excludeChannelId)) {
				continue;
			}
			if (this.delivery.deliver(channelId, message)) {
				this.delivered.incrementAndGet();
			}
			else {
				unsubscribeKey(topic, channelId);
			}
		}
	}

	private void relayed(String topic, String relay) {
		int originEnd = relay.indexOf('\n');
		int excludeEnd = (originEnd >= 0) ? relay.indexOf('\n', originEnd + 1) : -1;
		if (excludeEnd < 0) {
			logger.warn("Ignoring a malformed relay on topic '" + topic + "'");
			return;
		}
		if (relay.regionMatches(0, this.instanceId, 0, originEnd) && originEnd == this.instanceId.length()) {
			return;
		}
		String exclude = (excludeEnd > originEnd + 1) ? relay.substring(originEnd + 1, excludeEnd) : null;
		int sentEnd = relay.indexOf('\n', excludeEnd + 1);
		if (sentEnd < 0) {
			logger.warn("Ignoring a malformed relay on topic '" + topic + "'");
			return;
		}
		try {
			long sentAt = Long.parseLong(relay, excludeEnd + 1, sentEnd, 10);
			this.relayLag.accept(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - sentAt)));
		}
		catch (NumberFormatException ex) {
			logger.warn("Ignoring a malformed relay on topic '" + topic + "'");
			return;
		}
		deliverLocally(topic, exclude, Delivery.ofText(topic, relay.substring(sentEnd + 1), this.mapper));
	}

	@Override
	protected CompletionStage<List<TopicSubscriber>> subscribersOfKey(String topic) {
		return this.redis
			.execute(SUBSCRIBERS, List.of(this.keys.topicMembers(topic)), List.of(this.keys.channelPrefix()))
			.next()
			.map(RedisEventHub::toSubscribers)
			.defaultIfEmpty(List.of())
			.toFuture();
	}

	@SuppressWarnings("unchecked")
	private static List<TopicSubscriber> toSubscribers(List<?> pairs) {
		List<TopicSubscriber> subscribers = new ArrayList<>(pairs.size() / 2);
		for (int i = 0; i + 1 < pairs.size(); i += 2) {
			String user = String.valueOf(pairs.get(i + 1));
			subscribers.add(new TopicSubscriber(String.valueOf(pairs.get(i)), user.isEmpty() ? null : user));
		}
		subscribers.sort(Comparator.comparing(TopicSubscriber::channelId));
		return subscribers;
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
		return Flux.fromIterable(this.topics.values()).flatMap((local) -> {
			String[] members = local.channels.toArray(String[]::new);
			if (members.length == 0) {
				return Mono.empty();
			}
			String key = this.keys.topicMembers(local.topic);
			return this.redis.opsForSet().add(key, members).then(this.redis.expire(key, this.instanceTtl));
		}).then().toFuture();
	}

	/**
	 * Checks that Redis answers.
	 * @return completes with Redis's answer, or fails after the command timeout
	 */
	public CompletionStage<String> ping() {
		return this.redis.execute((connection) -> connection.ping()).next().timeout(this.commandTimeout).toFuture();
	}

	/**
	 * Stops listening to Redis; later relays are not received.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.topics.values().forEach(LocalTopic::stop);
		Disposable runtimeListener = this.runtimeListener;
		if (runtimeListener != null) {
			runtimeListener.dispose();
		}
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

	/**
	 * How many publishes could not be relayed to other instances.
	 * @return the count since start
	 */
	public long failedPublishes() {
		return this.failedPublishes.get();
	}

	/**
	 * Whether every topic with local subscribers is listened to on Redis.
	 * @return whether relays reach this instance
	 */
	public boolean isListening() {
		return (this.runtimeListener == null || isDone(this.runtimeSubscribed))
				&& this.topics.values().stream().allMatch((local) -> isDone(local.subscribed));
	}

	private static boolean isDone(CompletableFuture<Void> subscribed) {
		return subscribed.isDone() && !subscribed.isCompletedExceptionally();
	}

	/**
	 * Listens to a pub/sub channel (exact name, no pattern) until disposed, restoring the
	 * subscription after a failure.
	 */
	private Disposable listen(String channel, CompletableFuture<Void> subscribed, Consumer<String> onMessage,
			String what) {
		return Mono.defer(() -> this.listeners.receiveLater(ChannelTopic.of(channel)))
			.doOnNext((messages) -> subscribed.complete(null))
			.flatMapMany((messages) -> messages)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(Duration.ofSeconds(5))
				.filter((failure) -> !this.closed)
				.doBeforeRetry(
						(signal) -> logger.warn("Listening to " + what + " failed, retrying: " + signal.failure())))
			.subscribe((message) -> onMessage.accept(message.getMessage()));
	}

	/**
	 * The topics with subscribers on this instance.
	 * @return the topic names
	 */
	public Set<String> localTopics() {
		return Set.copyOf(this.topics.keySet());
	}

	/**
	 * A topic with subscribers on this instance, and its Redis subscription.
	 */
	private final class LocalTopic {

		private final String topic;

		private final Set<String> channels = ConcurrentHashMap.newKeySet();

		private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

		private volatile @Nullable Disposable listening;

		LocalTopic(String topic) {
			this.topic = topic;
		}

		void listen() {
			this.listening = RedisEventHub.this.listen(RedisEventHub.this.keys.events(this.topic), this.subscribed,
					(message) -> relayed(this.topic, message), "topic '" + this.topic + "'");
		}

		void stop() {
			Disposable listening = this.listening;
			if (listening != null) {
				listening.dispose();
			}
		}

	}

}
