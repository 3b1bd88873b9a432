package io.pikku.channel;

import org.jspecify.annotations.Nullable;

/**
 * What a function or lifecycle handler is given besides its input: the channel it was
 * called on and the user session of that connection.
 *
 * @param <D> the type of the channel's opening data
 */
public interface ChannelContext<D> {

	/**
	 * The connection this call came from.
	 * @return the channel
	 */
	PikkuChannel<D> channel();

	/**
	 * The name of the action being called, or {@code null} in the default handler and the
	 * lifecycle handlers.
	 * @return the action name
	 */
	@Nullable String action();

	/**
	 * The user session of this connection.
	 * @return the session, or {@code null} when nobody is logged in
	 */
	@Nullable PikkuSession session();

	/**
	 * The user session of this connection, which must exist.
	 * @return the session
	 * @throws PikkuException {@code unauthorized} if nobody is logged in
	 */
	default PikkuSession requireSession() {
		PikkuSession session = session();
		if (session == null) {
			throw PikkuException.unauthorized("Authentication required");
		}
		return session;
	}

	/**
	 * Logs this connection in: every later message on it carries the session. Replaces an
	 * earlier session.
	 * @param session the new session
	 */
	void setSession(PikkuSession session);

	/**
	 * Logs this connection out.
	 */
	void clearSession();

}
