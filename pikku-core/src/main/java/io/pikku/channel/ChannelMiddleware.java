package io.pikku.channel;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Channel middleware: wraps every message sent to a client (replies, {@code channel.send}
 * and EventHub deliveries; not error replies), in onion order. Pass a changed message to
 * {@code next} to transform it, {@code null} to drop it, a {@link java.util.List} to fan
 * it out into several messages.
 *
 * <pre class="code">
 * ChannelMiddleware stamp = (message, context, next) -&gt; next.send(((ObjectNode) message).put("sentAt", now()));
 * </pre>
 */
@FunctionalInterface
public interface ChannelMiddleware {

	/**
	 * Handles an outbound message.
	 * @param message the message as JSON; a copy that may be changed
	 * @param context the channel it goes to
	 * @param next the rest of the chain, then the client
	 * @throws Exception logged; the message is dropped
	 */
	void handle(JsonNode message, ChannelContext<?> context, Next next) throws Exception;

	/**
	 * The rest of a channel middleware chain.
	 */
	@FunctionalInterface
	interface Next {

		/**
		 * Sends a message on: anything Jackson can write, {@code null} to drop it, or a
		 * {@link java.util.List} whose elements go on one by one.
		 * @param message the message
		 * @throws Exception what the rest threw
		 */
		void send(@Nullable Object message) throws Exception;

	}

}
