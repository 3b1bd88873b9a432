package io.pikku.client;

import java.time.Duration;

/**
 * No reply to a call arrived within the call timeout. The connection stays open; a reply
 * that arrives later is dropped.
 */
public class PikkuCallTimeoutException extends PikkuClientException {

	private final String action;

	private final Duration timeout;

	/**
	 * A call that timed out.
	 * @param action the action called
	 * @param correlationId the call's correlation id
	 * @param timeout the timeout
	 */
	public PikkuCallTimeoutException(String action, String correlationId, Duration timeout) {
		super("No reply to '" + action + "' (correlationId " + correlationId + ") within " + timeout.toMillis()
				+ " ms");
		this.action = action;
		this.timeout = timeout;
	}

	/**
	 * The action that was called.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * The timeout that passed.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}
