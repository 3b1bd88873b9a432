package io.pikku.channel;

import org.jspecify.annotations.Nullable;

/**
 * Runs when a client connects, before any of its messages.
 *
 * @param <D> the type of the opening data
 */
@FunctionalInterface
public interface ConnectHandler<D> {

	/**
	 * Handles a new connection.
	 * @param context the new channel and its session
	 * @return a first message for the client, or {@code null}
	 * @throws Exception to refuse the connection: an error is sent and it is closed
	 */
	@Nullable Object onConnect(ChannelContext<D> context) throws Exception;

}
