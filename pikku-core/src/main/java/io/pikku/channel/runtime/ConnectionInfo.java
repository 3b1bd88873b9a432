package io.pikku.channel.runtime;

import io.pikku.channel.ChannelState;
import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one open connection, as listeners and monitoring see it.
 */
public interface ConnectionInfo {

	/**
	 * The connection's unique id.
	 * @return the channel id
	 */
	String channelId();

	/**
	 * The channel's name.
	 * @return the name
	 */
	String channelName();

	/**
	 * The opening data, bound from the upgrade request.
	 * @return the opening data
	 */
	Object openingData();

	/**
	 * The current user session.
	 * @return the session, or {@code null}
	 */
	@Nullable PikkuSession session();

	/**
	 * Where the connection is in its life.
	 * @return the state
	 */
	ChannelState state();

}
