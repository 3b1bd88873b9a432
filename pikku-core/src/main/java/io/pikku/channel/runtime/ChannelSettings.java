package io.pikku.channel.runtime;

import io.pikku.channel.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * How the runtime reads frames and answers them.
 *
 * @param defaultRoutingProperty the routing property of actions wired without one
 * @param correlationField the optional field a client sends to match a reply to its call
 * @param closeOnError whether to close a connection (1008) after answering it an error
 * @param maxTextMessageSize the largest text frame accepted, in bytes
 * @param maxBinaryMessageSize the largest binary frame accepted, in bytes
 * @param rateLimit how many frames each connection may send, or {@code null} for no limit
 */
public record ChannelSettings(String defaultRoutingProperty, String correlationField, boolean closeOnError,
		int maxTextMessageSize, int maxBinaryMessageSize, @Nullable RateLimit rateLimit) {

	/** The settings every property defaults to. */
	public static final ChannelSettings DEFAULTS = new ChannelSettings("action", "correlationId", false, 64 * 1024,
			64 * 1024, null);

	/**
	 * Settings without a rate limit.
	 * @param defaultRoutingProperty the routing property of actions wired without one
	 * @param correlationField the optional field a client sends to match a reply
	 * @param closeOnError whether to close a connection after answering it an error
	 * @param maxTextMessageSize the largest text frame accepted, in bytes
	 * @param maxBinaryMessageSize the largest binary frame accepted, in bytes
	 */
	public ChannelSettings(String defaultRoutingProperty, String correlationField, boolean closeOnError,
			int maxTextMessageSize, int maxBinaryMessageSize) {
		this(defaultRoutingProperty, correlationField, closeOnError, maxTextMessageSize, maxBinaryMessageSize, null);
	}

	public ChannelSettings {
		if (defaultRoutingProperty == null || defaultRoutingProperty.isBlank()) {
			throw new IllegalArgumentException("The default routing property must not be blank");
		}
		if (correlationField == null || correlationField.isBlank()) {
			throw new IllegalArgumentException("The correlation field must not be blank");
		}
		if (defaultRoutingProperty.equals(correlationField)) {
			throw new IllegalArgumentException(
					"The correlation field must differ from the default routing property '" + correlationField + "'");
		}
		if (maxTextMessageSize <= 0 || maxBinaryMessageSize <= 0) {
			throw new IllegalArgumentException("Message size limits must be positive");
		}
	}

}
