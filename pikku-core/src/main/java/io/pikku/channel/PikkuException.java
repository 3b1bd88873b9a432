package io.pikku.channel;

import org.jspecify.annotations.Nullable;

/**
 * An error a function raises on purpose: it is answered to the client with its code,
 * message and details, and the connection stays open. Any other exception is answered as
 * {@code internal} without its text.
 *
 * <pre class="code">
 * Todo todo = todos.find(id).orElseThrow(() -&gt; PikkuException.notFound("No todo " + id));
 * </pre>
 */
public class PikkuException extends RuntimeException {

	private final String code;

	private final @Nullable Object details;

	/**
	 * An error with a code and a message for the client.
	 * @param code a short machine-readable code, e.g. {@code not_found}
	 * @param message a message for the client
	 */
	public PikkuException(String code, String message) {
		this(code, message, null);
	}

	/**
	 * An error with a code, a message and details for the client.
	 * @param code a short machine-readable code
	 * @param message a message for the client
	 * @param details anything Jackson can write, or {@code null}
	 */
	public PikkuException(String code, String message, @Nullable Object details) {
		super(message, null, false, false);
		if (code == null || code.isBlank()) {
			throw new IllegalArgumentException("An error needs a code");
		}
		this.code = code;
		this.details = details;
	}

	/**
	 * The error code.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

	/**
	 * The details for the client.
	 * @return the details, or {@code null}
	 */
	public @Nullable Object getDetails() {
		return this.details;
	}

	/**
	 * A {@code not_found} error.
	 * @param message a message for the client
	 * @return the exception
	 */
	public static PikkuException notFound(String message) {
		return new PikkuException(ChannelErrorCodes.NOT_FOUND, message);
	}

	/**
	 * An {@code unauthorized} error.
	 * @param message a message for the client
	 * @return the exception
	 */
	public static PikkuException unauthorized(String message) {
		return new PikkuException(ChannelErrorCodes.UNAUTHORIZED, message);
	}

	/**
	 * A {@code forbidden} error.
	 * @param message a message for the client
	 * @return the exception
	 */
	public static PikkuException forbidden(String message) {
		return new PikkuException(ChannelErrorCodes.FORBIDDEN, message);
	}

}
