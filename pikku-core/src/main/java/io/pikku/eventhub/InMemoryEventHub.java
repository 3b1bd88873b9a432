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

	private final Map<String, Subscribers> subscribersByTopic = new ConcurrentHashMap<>();

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
		LocalDelivery.Recipient recipient = this.delivery.recipient(channelId);
		this.subscribersByTopic.compute(topic, (key, subscribers) -> {
			Subscribers added = (subscribers != null) ? subscribers : new Subscribers();
			added.add(channelId, recipient);
			return added;
		});
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
		this.subscribersByTopic.computeIfPresent(topic, (key, subscribers) -> subscribers.remove(channelId));
	}

	@Override
	protected CompletionStage<Void> publishKey(String topic, @Nullable String excludeChannelId, Object payload) {
		this.published.incrementAndGet();
		Subscribers subscribers = this.subscribersByTopic.get(topic);
		if (subscribers == null) {
			return DONE;
		}
		Snapshot snapshot = subscribers.snapshot();
		Delivery message = Delivery.of(topic, payload, this.mapper);
		String[] channelIds = snapshot.channelIds();
		LocalDelivery.Recipient[] recipients = snapshot.recipients();
		long delivered = 0;
		try {
			for (int i = 0; i < channelIds.length; i++) {
				String channelId = channelIds[i];
				if (channelId.equals(excludeChannelId)) {
					continue;
				}
				if (recipients[i].deliver(message)) {
					delivered++;
				}
				else {
					unsubscribeKey(topic, channelId);
				}
			}
		}
		finally {
			this.delivered.addAndGet(delivered);
		}
		return DONE;
	}

	@Override
	protected CompletionStage<List<TopicSubscriber>> subscribersOfKey(String topic) {
		Subscribers subscribers = this.subscribersByTopic.get(topic);
		Set<String> channels = (subscribers != null) ? subscribers.recipients.keySet() : Set.of();
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

	/**
	 * The subscribers of one topic, each with its recipient, and a snapshot of them in
	 * arrays that a publish loops over. Changed only inside the topic's entry of
	 * {@code subscribersByTopic}; a change drops the snapshot (which would otherwise keep
	 * closed connections reachable until the next publish), and the next publish takes a
	 * new one.
	 */
	private static final class Subscribers {

		final Map<String, LocalDelivery.Recipient> recipients = new ConcurrentHashMap<>();

		/** Counts changes; written after each, read before a snapshot is taken. */
		private volatile long version;

		private volatile Snapshot snapshot = Snapshot.EMPTY;

		void add(String channelId, LocalDelivery.Recipient recipient) {
			if (this.recipients.putIfAbsent(channelId, recipient) == null) {
				changed();
			}
		}

		@Nullable Subscribers remove(String channelId) {
			if (this.recipients.remove(channelId) != null) {
				changed();
			}
			return this.recipients.isEmpty() ? null : this;
		}

		private void changed() {
			this.version++;
			this.snapshot = Snapshot.EMPTY;
		}

		Snapshot snapshot() {
			Snapshot snapshot = this.snapshot;
			long version = this.version;
			if (snapshot.version == version) {
				return snapshot;
			}
			List<String> channelIds = new ArrayList<>(this.recipients.size());
			List<LocalDelivery.Recipient> recipients = new ArrayList<>(this.recipients.size());
			this.recipients.forEach((channelId, recipient) -> {
				channelIds.add(channelId);
				recipients.add(recipient);
			});
			snapshot = new Snapshot(version, channelIds.toArray(String[]::new),
					recipients.toArray(LocalDelivery.Recipient[]::new));
			if (this.version == version) {
				// not one taken before a change and stored after it
				this.snapshot = snapshot;
			}
			return snapshot;
		}

	}

	/**
	 * The subscribers of a topic as they were at one version: a snapshot taken after
	 * reading the version holds every change up to it (and maybe later ones).
	 */
	private record Snapshot(long version, String[] channelIds, LocalDelivery.Recipient[] recipients) {

		static final Snapshot EMPTY = new Snapshot(-1, new String[0], new LocalDelivery.Recipient[0]);

	}

}
