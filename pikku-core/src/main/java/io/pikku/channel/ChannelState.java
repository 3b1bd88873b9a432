package io.pikku.channel;

/**
 * Where a channel is in its life, as Pikku's {@code 'initial' | 'open' | 'closed'}.
 */
public enum ChannelState {

	/** Created, {@code onConnect} has not started. */
	INITIAL,

	/** Open: messages flow both ways. */
	OPEN,

	/** Closing or closed: sending fails. */
	CLOSED

}
