package io.pikku.channel;

/**
 * Thrown when sending on a channel that is closed.
 */
public class ChannelClosedException extends IllegalStateException {

	/**
	 * A new exception for the given channel.
	 * @param channelId the id of the closed channel
	 */
	public ChannelClosedException(String channelId) {
		super("Channel " + channelId + " is closed");
	}

}
