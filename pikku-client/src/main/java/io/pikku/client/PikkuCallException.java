package io.pikku.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The channel answered a call with an error, e.g. {@code validation_failed},
 * {@code unauthorized}, {@code not_found} or a function's own code.
 *
 * <pre class="code">
 * connection.call("create", new NewTodo(""), TodoReply.class).exceptionally((ex) -&gt; {
 *     if (ex.getCause() instanceof PikkuCallException error &amp;&amp; error.getCode().equals("validation_failed")) {
 *         ...
 *     }
 * });
 * </pre>
 */
public class PikkuCallException extends PikkuClientException {

	private final String action;

	private final String code;

	private final String errorMessage;

	private final @Nullable JsonNode details;

	/**
	 * An error reply.
	 * @param action the action called
	 * @param code the error code
	 * @param errorMessage the server's message
	 * @param details the error's details, or {@code null}
	 */
	public PikkuCallException(String action, String code, String errorMessage, @Nullable JsonNode details) {
		super("Call of '" + action + "' failed with " + code + ": " + errorMessage
				+ ((details != null) ? " " + details : ""));
		this.action = action;
		this.code = code;
		this.errorMessage = errorMessage;
		this.details = details;
	}

	/**
	 * The action that was called.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * The error code, e.g. {@code validation_failed}.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

	/**
	 * The server's message, without the code.
	 * @return the message
	 */
	public String getErrorMessage() {
		return this.errorMessage;
	}

	/**
	 * The error's details: for {@code validation_failed} an array of {@code {field,
	 * message}}, for {@code rate_limited} an object with {@code retryAfterMs}, for a
	 * function's own code what the function gave.
	 * @return the details, or {@code null}
	 */
	public @Nullable JsonNode getDetails() {
		return this.details;
	}

}
