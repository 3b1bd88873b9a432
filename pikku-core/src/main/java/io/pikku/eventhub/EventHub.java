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
 * <pre class="code">
 * eventHub.publish("room:" + room, context.channel().channelId(), new ChatMessage(text, userId, now));
 * </pre>
 */
public interface EventHub {

	/**
	 * Subscribes a connection to a topic.
	 * @param topic the topic
	 * @param channelId the connection's channel id
	 * @return completes when the subscription is in force
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
	 * could not be relayed
	 */
	CompletionStage<Void> publish(String topic, @Nullable String excludeChannelId, Object payload);

	/**
	 * Who is subscribed to a topic, on every instance.
	 * @param topic the topic
	 * @return the subscribers, sorted by channel id
	 */
	CompletionStage<List<TopicSubscriber>> subscribers(String topic);

	/**
	 * Called by the channel runtime when it starts: where to deliver to connections of
	 * this instance.
	 * @param delivery the local connections
	 */
	void bind(LocalDelivery delivery);

	/**
	 * Called by the channel runtime when a connection has closed: it leaves every topic.
	 * @param channelId the closed connection
	 * @return completes when done
	 */
	CompletionStage<Void> channelClosed(String channelId);

}
