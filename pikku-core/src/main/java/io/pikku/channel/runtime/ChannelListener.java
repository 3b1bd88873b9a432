package io.pikku.channel.runtime;

/**
 * Told what happens on every connection, e.g. to keep metrics. Called on the thread where
 * it happens: implementations must be fast and thread-safe, and never throw.
 */
public interface ChannelListener {

	/**
	 * The action recorded for frames that named no wired action (never a client's value).
	 */
	String UNKNOWN_ACTION = "unknown";

	/** The outcome of a call that succeeded; otherwise the outcome is the error code. */
	String SUCCESS = "success";

	/**
	 * A connection opened (before {@code onConnect}).
	 * @param connection the connection
	 */
	default void opened(ConnectionInfo connection) {
	}

	/**
	 * A connection closed (before {@code onDisconnect}).
	 * @param connection the connection
	 */
	default void closed(ConnectionInfo connection) {
	}

	/**
	 * A frame arrived.
	 * @param connection the connection
	 */
	default void received(ConnectionInfo connection) {
	}

	/**
	 * A message was queued for the client (replies, sends, deliveries, errors).
	 * @param connection the connection
	 */
	default void sent(ConnectionInfo connection) {
	}

	/**
	 * A frame was answered.
	 * @param connection the connection
	 * @param action the wired action, {@code onMessage}, {@code onBinary} or
	 * {@link #UNKNOWN_ACTION}
	 * @param outcome {@link #SUCCESS} or the error code
	 * @param nanos how long from arrival to answer
	 */
	default void called(ConnectionInfo connection, String action, String outcome, long nanos) {
	}

	/**
	 * An error was answered.
	 * @param connection the connection
	 * @param code the error code
	 */
	default void failed(ConnectionInfo connection, String code) {
	}

}
