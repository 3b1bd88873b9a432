package io.pikku.channel;

/**
 * Runs once when a connection has closed, whoever closed it. It cannot send.
 *
 * @param <D> the type of the opening data
 */
@FunctionalInterface
public interface DisconnectHandler<D> {

	/**
	 * Handles a closed connection.
	 * @param context the closed channel and its last session
	 * @throws Exception logged, never sent
	 */
	void onDisconnect(ChannelContext<D> context) throws Exception;

}
