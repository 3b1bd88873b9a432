package io.pikku.gateway.redis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.Delivery;
import io.pikku.eventhub.EventHubStatistics;
import io.pikku.eventhub.LocalDelivery;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.eventhub.SubscriptionLimitExceededException;
import io.pikku.eventhub.TopicSubscriber;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The EventHub of channels behind a managed gateway, with its subscriptions in Redis: any
 * instance publishes to every subscriber itself (the gateway reaches every connection),
 * so nothing is relayed between instances. A publish reads the topic's members and hands
 * each delivery to the runtime, which posts it through the gateway (after channel
 * middleware, per recipient); a subscriber the runtime reports gone leaves the topic, and
 * the runtime then removes it from every other topic too. A subscriber whose record has
 * expired (its {@code $disconnect} never came) leaves a topic when the topic is next
 * read.
 *
 * <p>
 * Keys: {@code {prefix}topic:{topic}} (the members of a topic) and
 * {@code {prefix}topics:{channelId}} (the topics of a connection, expiring with its
 * record).
 */
public final class RedisGatewayEventHub extends AbstractEventHub implements EventHubStatistics {

	private static final RedisScript<Long> SUBSCRIBE = RedisScript.of("""
			if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
			  local limit = tonumber(ARGV[3])
			  if limit > 0 and redis.call('SCARD', KEYS[2]) >= limit then return 0 end
			end
			redis.call('SADD', KEYS[1], ARGV[2])
			redis.call('SADD', KEYS[2], ARGV[1])
			redis.call('PEXPIRE', KEYS[2], ARGV[4])
			return 1
			""", Long.class);

	private static final RedisScript<Long> CLOSED = RedisScript.of("""
			local topics = redis.call('SMEMBERS', KEYS[1])
			for _, topic in ipairs(topics) do
			  redis.call('SREM', ARGV[1] .. 'topic:' .. topic, ARGV[2])
			end
			redis.call('DEL', KEYS[1])
			return #topics
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper mapper;

	private final RedisStatelessChannelStore store;

	private final String prefix;

	private final java.time.Duration timeToLive;

	private volatile LocalDelivery delivery = (channelId, message) -> false;

	private volatile Consumer<String> runtimeMessages = (message) -> {
	};

	private volatile SubscriptionLimit subscriptionLimit = SubscriptionLimit.NONE;

	private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();

	private final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();

	/**
	 * A hub on the given Redis.
	 * @param redis commands
	 * @param mapper writes payloads
	 * @param store the connections' records: a subscriber without one has gone, and
	 * leaves the topic
	 * @param prefix what every key starts with
	 * @param timeToLive how long a connection's list of topics lives, as its record
	 */
	public RedisGatewayEventHub(ReactiveStringRedisTemplate redis, JsonMapper mapper, RedisStatelessChannelStore store,
			String prefix, java.time.Duration timeToLive) {
		this.redis = redis;
		this.mapper = mapper;
		this.store = store;
		this.prefix = prefix;
		this.timeToLive = timeToLive;
	}

	/**
	 * Limits how many topics one connection may subscribe to.
	 * @param subscriptionLimit the limit
	 */
	public void setSubscriptionLimit(SubscriptionLimit subscriptionLimit) {
		this.subscriptionLimit = subscriptionLimit;
	}

	private String topicKey(String topic) {
		return this.prefix + "topic:" + topic;
	}

	private String topicsKey(String channelId) {
		return this.prefix + "topics:" + channelId;
	}

	@Override
	public void bind(LocalDelivery delivery, Consumer<String> runtimeMessages) {
		this.delivery = delivery;
		this.runtimeMessages = runtimeMessages;
	}

	@Override
	public CompletionStage<Void> sendToRuntimes(String message) {
		// every instance reaches every connection: this one acts for all
		this.runtimeMessages.accept(message);
		return CompletableFuture.completedFuture(null);
	}

	@Override
	protected CompletionStage<Void> subscribeKey(String key, String channelId) {
		int limit = this.subscriptionLimit.maxPerChannel();
		return this.redis
			.execute(SUBSCRIBE, List.of(topicKey(key), topicsKey(channelId)),
					List.of(key, channelId, Integer.toString((limit == Integer.MAX_VALUE) ? 0 : limit),
							Long.toString(this.timeToLive.toMillis())))
			.next()
			.toFuture()
			.thenCompose((added) -> (added != null && added == 0)
					? CompletableFuture.failedFuture(new SubscriptionLimitExceededException(limit))
					: CompletableFuture.completedFuture(null));
	}

	@Override
	protected CompletionStage<Void> unsubscribeKey(String key, String channelId) {
		return this.redis.opsForSet()
			.remove(topicKey(key), channelId)
			.then(this.redis.opsForSet().remove(topicsKey(channelId), key))
			.then()
			.toFuture();
	}

	@Override
	protected CompletionStage<Void> publishKey(String key, @Nullable String excludeChannelId, Object payload) {
		this.published.incrementAndGet();
		Delivery message = Delivery.of(key, payload, this.mapper);
		return this.store.liveMembers(topicKey(key)).thenCompose((members) -> {
			List<CompletableFuture<Void>> removals = new ArrayList<>();
			for (String channelId : members) {
				if (channelId.equals(excludeChannelId)) {
					continue;
				}
				if (this.delivery.deliver(channelId, message)) {
					this.delivered.incrementAndGet();
				}
				else {
					removals.add(unsubscribeKey(key, channelId).toCompletableFuture());
				}
			}
			return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
		});
	}

	@Override
	protected CompletionStage<List<TopicSubscriber>> subscribersOfKey(String key) {
		return Flux.defer(() -> Mono.fromCompletionStage(this.store.liveMembers(topicKey(key))))
			.flatMapIterable((members) -> members)
			.flatMap((channelId) -> Mono.fromCompletionStage(this.store.get(channelId))
				.map((record) -> new TopicSubscriber(channelId, record.map((r) -> r.userId()).orElse(null))))
			.sort(Comparator.comparing(TopicSubscriber::channelId))
			.collectList()
			.toFuture();
	}

	@Override
	public CompletionStage<Void> channelClosed(String channelId) {
		return this.redis.execute(CLOSED, List.of(topicsKey(channelId)), List.of(this.prefix, channelId))
			.then()
			.toFuture();
	}

	@Override
	public long published() {
		return this.published.get();
	}

	@Override
	public long delivered() {
		return this.delivered.get();
	}

	/**
	 * The topics a connection is subscribed to, for tests and monitoring.
	 * @param channelId the connection
	 * @return the topic keys
	 */
	public CompletionStage<List<String>> topicsOf(String channelId) {
		return Flux.from(this.redis.opsForSet().members(topicsKey(channelId))).sort().collectList().toFuture();
	}

}
