package io.pikku.eventhub;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * How many topics one connection may subscribe to, so that a client cannot grow the
 * server's subscriptions without bound. A subscribe past it fails with a
 * {@link SubscriptionLimitExceededException}, answered {@code limit_exceeded}.
 *
 * @param maxPerChannel the most topics per connection
 */
public record SubscriptionLimit(int maxPerChannel) {

	/** No limit. */
	public static final SubscriptionLimit NONE = new SubscriptionLimit(Integer.MAX_VALUE);

	public SubscriptionLimit {
		if (maxPerChannel <= 0) {
			throw new IllegalArgumentException("The subscription limit must be positive");
		}
	}

	/**
	 * Checks a new subscription against the limit.
	 * @param topicsByChannel the topics of each connection
	 * @param topic the topic
	 * @param channelId the connection
	 * @return a failed stage if the connection is at the limit, otherwise {@code null}
	 */
	public @Nullable CompletableFuture<Void> check(Map<String, Set<String>> topicsByChannel, String topic,
			String channelId) {
		Set<String> topics = topicsByChannel.get(channelId);
		if (topics == null || topics.size() < this.maxPerChannel || topics.contains(topic)) {
			return null;
		}
		return CompletableFuture.failedFuture(new SubscriptionLimitExceededException(this.maxPerChannel));
	}

}
