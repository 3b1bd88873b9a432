package io.pikku.channel.runtime;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * A transport's side of one connection. The runtime calls it from any thread; no method
 * may block the caller on the network.
 */
public interface ChannelConnection {

	/**
	 * Queues a text frame. Returns at once; a failure closes the connection later.
	 * @param text the frame
	 * @throws io.pikku.channel.ChannelClosedException if the connection is closed
	 */
	void sendText(String text);

	/**
	 * Queues a binary frame. Returns at once.
	 * @param data the frame
	 * @throws io.pikku.channel.ChannelClosedException if the connection is closed
	 */
	void sendBinary(ByteBuffer data);

	/**
	 * Closes the connection after the frames already queued. Returns at once.
	 * @param code the WebSocket close code
	 * @param reason a short reason, or {@code null}
	 */
	void close(int code, @Nullable String reason);

	/**
	 * Where the runtime runs code that may block (functions not declared non-blocking,
	 * {@code onConnect}, {@code onDisconnect}, {@code onBinary}), for a transport whose
	 * reading thread must never block, such as an event loop.
	 * @return the executor, or {@code null} (the default) to run everything on the thread
	 * that passes the frame
	 */
	default @Nullable Executor blockingExecutor() {
		return null;
	}

}
