package io.pikku.eventhub;

import org.jspecify.annotations.Nullable;

/**
 * A connection subscribed to a topic.
 *
 * @param channelId the connection's channel id
 * @param userId the user id of its session, or {@code null} if nobody is logged in
 */
public record TopicSubscriber(String channelId, @Nullable String userId) {
}
