package io.pikku.channel;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * One client's connection to a channel, as a function sees it: Pikku's {@code channel}
 * object.
 *
 * <p>
 * Every method may be called from any thread. {@link #send(Object)} never waits for the
 * network: it queues the message and returns.
 *
 * @param <D> the type of the opening data
 */
public interface PikkuChannel<D> {

	/**
	 * The unique id of this connection.
	 * @return the channel id
	 */
	String channelId();

	/**
	 * The name of the channel definition this connection belongs to.
	 * @return the channel name
	 */
	String name();

	/**
	 * The data the channel was opened with: path variables and query parameters, bound
	 * and validated. It does not change during the connection.
	 * @return the opening data
	 */
	D openingData();

	/**
	 * The opening data as the given type, for functions wired to several channels.
	 * @param <T> the expected type
	 * @param type the expected type
	 * @return the opening data
	 * @throws ClassCastException if the opening data is of another type
	 */
	default <T> T openingData(Class<T> type) {
		return type.cast(openingData());
	}

	/**
	 * Sends a message to this client as JSON. Queues it and returns at once.
	 * @param message anything Jackson can write
	 * @throws ChannelClosedException if the channel is closed
	 */
	void send(Object message);

	/**
	 * Sends a binary message to this client. Queues it and returns at once.
	 * @param data the bytes to send
	 * @throws ChannelClosedException if the channel is closed
	 */
	void sendBinary(ByteBuffer data);

	/**
	 * Closes the connection normally (1000) after the messages already queued.
	 */
	default void close() {
		close(1000, null);
	}

	/**
	 * Closes the connection with a WebSocket close code after the messages already
	 * queued. Returns at once.
	 * @param code the close code
	 * @param reason a short reason for the client, or {@code null}
	 */
	void close(int code, @Nullable String reason);

	/**
	 * Where the channel is in its life.
	 * @return the state
	 */
	ChannelState state();

	/**
	 * Keeps a value for this connection only, replacing any earlier one. It dies with the
	 * connection; use the session for what belongs to the user.
	 * @param state the value
	 */
	void setState(Object state);

	/**
	 * The value kept by {@link #setState(Object)}.
	 * @param <T> the expected type
	 * @param type the expected type
	 * @return the value, or {@code null} if none was set
	 */
	<T> @Nullable T getState(Class<T> type);

	/**
	 * Forgets the value kept by {@link #setState(Object)}.
	 */
	void clearState();

}
