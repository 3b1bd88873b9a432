package io.pikku.client;

import org.jspecify.annotations.Nullable;

/**
 * The connection is closed or was lost: what a call or send fails with when its
 * connection ends before the reply, or when it is made on a closed or reconnecting
 * connection.
 */
public class PikkuConnectionClosedException extends PikkuClientException {

	private final int closeCode;

	/**
	 * A closed connection.
	 * @param message what was lost
	 * @param closeCode the WebSocket close code, or {@code -1} if none was received
	 * @param cause the I/O error that ended the connection, or {@code null}
	 */
	public PikkuConnectionClosedException(String message, int closeCode, @Nullable Throwable cause) {
		super(message, cause);
		this.closeCode = closeCode;
	}

	/**
	 * The WebSocket close code, e.g. {@code 1001} when the server shuts down.
	 * @return the code, or {@code -1} if the connection ended without a close frame
	 */
	public int getCloseCode() {
		return this.closeCode;
	}

}
