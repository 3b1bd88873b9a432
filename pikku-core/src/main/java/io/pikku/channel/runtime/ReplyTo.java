package io.pikku.channel.runtime;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a reply or an error echoes of the frame it answers: the routing property with the
 * value the client sent, and the correlation id.
 *
 * @param routingProperty the routing property the frame named, or {@code null}
 * @param routingValue its value as sent, or {@code null}
 * @param correlation the valid correlation id, or {@code null}
 */
record ReplyTo(@Nullable String routingProperty, @Nullable JsonNode routingValue, @Nullable JsonNode correlation) {

	/** Echoes nothing. */
	static final ReplyTo NONE = new ReplyTo(null, null, null);

}
