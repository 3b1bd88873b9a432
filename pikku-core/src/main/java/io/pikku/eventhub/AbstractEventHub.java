package io.pikku.eventhub;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The base of every EventHub: the user API of {@link EventHub} with its topic rules
 * (reserved names, scopes) on top of a few operations an implementation provides, and
 * what the channel runtime needs of a hub, which applications do not see through
 * {@link EventHub}: where to deliver, when a connection has closed, and messages between
 * the runtimes of every instance that travel on no topic.
 *
 * <p>
 * An implementation works with topic keys: the name given to {@link EventHub} itself, or
 * a scoped name that starts with {@value EventHub#RESERVED_PREFIX}. It must treat a key
 * as data (exact match only, no patterns), and frame deliveries with
 * {@link Delivery#of(String, Object, tools.jackson.databind.json.JsonMapper)}, which
 * gives subscribers the name they know.
 */
public abstract class AbstractEventHub implements EventHub {

	@Override
	public final CompletionStage<Void> subscribe(String topic, String channelId) {
		ReservedTopicException reserved = reserved(topic);
		return (reserved != null) ? CompletableFuture.failedFuture(reserved) : subscribeKey(topic, channelId);
	}

	@Override
	public final CompletionStage<Void> unsubscribe(String topic, String channelId) {
		ReservedTopicException reserved = reserved(topic);
		return (reserved != null) ? CompletableFuture.failedFuture(reserved) : unsubscribeKey(topic, channelId);
	}

	@Override
	public final CompletionStage<Void> publish(String topic, @Nullable String excludeChannelId, Object payload) {
		ReservedTopicException reserved = reserved(topic);
		return (reserved != null) ? CompletableFuture.failedFuture(reserved)
				: publishKey(topic, excludeChannelId, payload);
	}

	@Override
	public final CompletionStage<List<TopicSubscriber>> subscribers(String topic) {
		ReservedTopicException reserved = reserved(topic);
		return (reserved != null) ? CompletableFuture.failedFuture(reserved) : subscribersOfKey(topic);
	}

	@Override
	public EventHub scope(String scope) {
		return new ScopedEventHub(this, scope);
	}

	private static @Nullable ReservedTopicException reserved(String topic) {
		return topic.startsWith(RESERVED_PREFIX) ? new ReservedTopicException(topic) : null;
	}

	/**
	 * Subscribes a connection to a topic key.
	 * @param key the topic key
	 * @param channelId the connection
	 * @return completes when the subscription is in force
	 */
	protected abstract CompletionStage<Void> subscribeKey(String key, String channelId);

	/**
	 * Unsubscribes a connection from a topic key.
	 * @param key the topic key
	 * @param channelId the connection
	 * @return completes when done
	 */
	protected abstract CompletionStage<Void> unsubscribeKey(String key, String channelId);

	/**
	 * Publishes to every subscriber of a topic key.
	 * @param key the topic key
	 * @param excludeChannelId a connection that should not receive it, or {@code null}
	 * @param payload the payload
	 * @return completes when accepted for every instance
	 */
	protected abstract CompletionStage<Void> publishKey(String key, @Nullable String excludeChannelId, Object payload);

	/**
	 * The subscribers of a topic key, on every instance.
	 * @param key the topic key
	 * @return the subscribers, sorted by channel id
	 */
	protected abstract CompletionStage<List<TopicSubscriber>> subscribersOfKey(String key);

	/**
	 * Called by the channel runtime when it starts: where to deliver to this instance's
	 * connections, and who receives the runtime messages of every instance.
	 * @param delivery the local connections
	 * @param runtimeMessages receives each {@link #sendToRuntimes(String) runtime
	 * message}, this instance's own included
	 */
	public abstract void bind(LocalDelivery delivery, Consumer<String> runtimeMessages);

	/**
	 * Called by the channel runtime when a connection has closed: it leaves every topic.
	 * @param channelId the closed connection
	 * @return completes when done
	 */
	public abstract CompletionStage<Void> channelClosed(String channelId);

	/**
	 * Sends a message to the channel runtime of every instance, this one included, on a
	 * channel of its own that no topic name reaches: the runtime's messages to users.
	 * @param message the message, as the runtime writes it
	 * @return completes when sent to every instance
	 */
	public abstract CompletionStage<Void> sendToRuntimes(String message);

}
