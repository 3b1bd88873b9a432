package io.pikku.eventhub;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Topic pub/sub between channels, as Pikku's {@code eventHub}: subscribe a connection to
 * a topic, publish to every subscriber. Inject it anywhere: a channel function, an HTTP
 * controller, a scheduled job.
 *
 * <p>
 * A delivery reaches each subscribed connection as a JSON message: an object payload with
 * its fields at the top level and a {@code topic} field added, any other payload wrapped
 * as {@code {"topic": ..., "data": ...}}. A connection leaves every topic when it closes.
 *
 * <p>
 * A topic name is data: whatever its characters ({@code :}, {@code *}, spaces, control
 * characters, any unicode), it names exactly one topic, never a pattern, another topic or
 * anything of the runtime's. Names that start with {@value #RESERVED_PREFIX} belong to
 * Pikku: subscribing or publishing on one fails with a {@link ReservedTopicException},
 * answered {@code forbidden} when a function lets it through. A function that takes a
 * topic name from a client must scope it: per channel or namespace with
 * {@link #scope(String)}, per user, or behind a permission.
 *
 * <pre class="code">
 * eventHub.publish("room:" + room, context.channel().channelId(), new ChatMessage(text, userId, now));
 *
 * EventHub playground = eventHub.scope("echo"); // client-named topics, kept apart
 * playground.subscribe(input.topic(), context.channel().channelId());
 * </pre>
 */
public interface EventHub {

	/**
	 * What the names of Pikku's own topics start with; subscribing or publishing on such
	 * a name fails.
	 */
	String RESERVED_PREFIX = "pikku:";

	/**
	 * Subscribes a connection to a topic.
	 * @param topic the topic
	 * @param channelId the connection's channel id
	 * @return completes when the subscription is in force; fails with a
	 * {@link ReservedTopicException} for a reserved name
	 */
	CompletionStage<Void> subscribe(String topic, String channelId);

	/**
	 * Unsubscribes a connection from a topic; unknown subscriptions are ignored.
	 * @param topic the topic
	 * @param channelId the connection's channel id
	 * @return completes when done
	 */
	CompletionStage<Void> unsubscribe(String topic, String channelId);

	/**
	 * Publishes a payload to every subscriber of a topic.
	 * @param topic the topic
	 * @param excludeChannelId a connection that should not receive it (usually the
	 * sender), or {@code null} for all
	 * @param payload anything Jackson can write
	 * @return completes when the publish is accepted for every instance; fails if it
	 * could not be relayed, or with a {@link ReservedTopicException} for a reserved name
	 */
	CompletionStage<Void> publish(String topic, @Nullable String excludeChannelId, Object payload);

	/**
	 * Who is subscribed to a topic, on every instance.
	 * @param topic the topic
	 * @return the subscribers, sorted by channel id
	 */
	CompletionStage<List<TopicSubscriber>> subscribers(String topic);

	/**
	 * A view of this hub whose topics belong to a scope, e.g. one channel's: a name given
	 * to the view names a topic of that scope only, never a topic of the hub itself or of
	 * another scope, and its deliveries carry the name as it was given. Use it where
	 * clients name topics.
	 * @param scope the scope's name: letters, digits, {@code .}, {@code _} or {@code -}
	 * @return the scoped view
	 * @throws IllegalArgumentException if the scope's name is not allowed
	 */
	EventHub scope(String scope);

}
