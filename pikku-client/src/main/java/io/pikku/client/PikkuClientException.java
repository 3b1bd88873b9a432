package io.pikku.client;

import org.jspecify.annotations.Nullable;

/**
 * Something went wrong talking to a Pikku channel: the base of the client's exceptions. A
 * call's future completes exceptionally with one of its subclasses, or with this class
 * itself when a reply does not bind to the expected type.
 */
public class PikkuClientException extends RuntimeException {

	/**
	 * An exception with a message.
	 * @param message what went wrong
	 */
	public PikkuClientException(String message) {
		super(message);
	}

	/**
	 * An exception with a message and a cause.
	 * @param message what went wrong
	 * @param cause the cause
	 */
	public PikkuClientException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
