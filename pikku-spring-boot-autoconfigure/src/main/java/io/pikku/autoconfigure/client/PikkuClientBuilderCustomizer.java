package io.pikku.autoconfigure.client;

import io.pikku.client.PikkuClient;

/**
 * Customizes the auto-configured {@link PikkuClient.Builder}, e.g. to set a call timeout
 * or a reconnect policy for every client of the application. Applied in {@code @Order}.
 */
@FunctionalInterface
public interface PikkuClientBuilderCustomizer {

	/**
	 * Customizes a builder.
	 * @param builder the builder
	 */
	void customize(PikkuClient.Builder builder);

}
