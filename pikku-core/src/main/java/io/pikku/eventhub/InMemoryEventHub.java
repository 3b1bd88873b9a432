package io.pikku.eventhub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.pikku.store.ChannelStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The EventHub of a single instance: subscriptions in memory, deliveries straight to the
 * local connections, in the publishing thread. The embedded default.
 */
public final class InMemoryEventHub extends AbstractEventHub implements EventHubStatistics {

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final Map<String, Set<String>> subscribersByTopic = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> topicsByChannel = new ConcurrentHashMap<>();

	private final JsonMapper mapper;

	private final ChannelStore store;

	private volatile LocalDelivery delivery = (channelId, message) -> false;

	private volatile Consumer<String> runtimeMessages = (message) -> {
	};

	private volatile SubscriptionLimit subscriptionLimit = SubscriptionLimit.NONE;

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong delivered = new AtomicLong();

	/**
	 * A hub that writes payloads with the given mapper and finds subscribers' users in
	 * the given store.
	 * @param mapper the JSON mapper
	 * @param store the channel store
	 */
	public InMemoryEventHub(JsonMapper mapper, ChannelStore store) {
		this.mapper = mapper;
		this.store = store;
	}

	/**
	 * Limits how many topics one connection may subscribe to.
	 * @param subscriptionLimit the limit
	 */
	public void setSubscriptionLimit(SubscriptionLimit subscriptionLimit) {
		this.subscriptionLimit = subscriptionLimit;
	}

	@Override
	public void bind(LocalDelivery delivery, Consumer<String> runtimeMessages) {
		this.delivery = delivery;
		this.runtimeMessages = runtimeMessages;
	}

	@Override
	public CompletionStage<Void> sendToRuntimes(String message) {
		this.runtimeMessages.accept(message);
		return DONE;
	}

	@Override
	protected CompletionStage<Void> subscribeKey(String topic, String channelId) {
		CompletableFuture<Void> refused = this.subscriptionLimit.check(this.topicsByChannel, topic, channelId);
		if (refused != null) {
			return refused;
		}
		this.subscribersByTopic.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(channelId);
		this.topicsByChannel.computeIfAbsent(channelId, (key) -> ConcurrentHashMap.newKeySet()).add(topic);
		return DONE;
	}

	@Override
	protected CompletionStage<Void> unsubscribeKey(String topic, String channelId) {
		remove(topic, channelId);
		Set<String> topics = this.topicsByChannel.get(channelId);
		if (topics != null) {
			topics.remove(topic);
		}
		return DONE;
	}

	private void remove(String topic, String channelId) {
		this.subscribersByTopic.computeIfPresent(topic, (key, channels) -> {
			channels.remove(channelId);
			return channels.isEmpty() ? null : channels;
		});
	}

	@Override
	protected CompletionStage<Void> publishKey(String topic, @Nullable String excludeChannelId, Object payload) {
		this.published.incrementAndGet();
		Set<String> subscribers = this.subscribersByTopic.get(topic);
		if (subscribers == null) {
			return DONE;
		}
		Delivery message = Delivery.of(topic, payload, this.mapper);
		for (String channelId : subscribers) {
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
		return DONE;
	}

	@Override
	protected CompletionStage<List<TopicSubscriber>> subscribersOfKey(String topic) {
		Set<String> channels = this.subscribersByTopic.getOrDefault(topic, Set.of());
		List<CompletableFuture<TopicSubscriber>> lookups = new ArrayList<>();
		for (String channelId : channels) {
			lookups.add(this.store.get(channelId)
				.thenApply((record) -> new TopicSubscriber(channelId, record.map((r) -> r.userId()).orElse(null)))
				.toCompletableFuture());
		}
		return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> lookups.stream()
				.map(CompletableFuture::join)
				.sorted(Comparator.comparing(TopicSubscriber::channelId))
				.toList());
	}

	@Override
	public CompletionStage<Void> channelClosed(String channelId) {
		Set<String> topics = this.topicsByChannel.remove(channelId);
		if (topics != null) {
			for (String topic : topics) {
				remove(topic, channelId);
			}
		}
		return DONE;
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
	 * How many topics have subscribers, for monitoring and tests.
	 * @return the number of topics
	 */
	public int topicCount() {
		return this.subscribersByTopic.size();
	}

}
