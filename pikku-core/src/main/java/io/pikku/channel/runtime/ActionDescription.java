package io.pikku.channel.runtime;

import io.pikku.channel.Permissions;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * A wired action as the runtime serves it, its settings resolved the way the runtime
 * resolves them for a call (action wiring, then function, then channel, then default),
 * for descriptions such as the actuator endpoint and the API description.
 *
 * @param routingProperty the routing property, the configured default resolved; or
 * {@code null} for the channel's default handler
 * @param name the action name, or {@code null} for the default handler
 * @param function the function called
 * @param auth whether a call needs a session
 * @param permissions the permission groups checked, {@link Permissions#NONE} for none
 * @param rateLimit the rate limit a call counts against (the action's own, else the
 * connection's), or {@code null} for none
 */
public record ActionDescription(@Nullable String routingProperty, @Nullable String name, PikkuFunction<?, ?> function,
		boolean auth, Permissions permissions, @Nullable RateLimit rateLimit) {

	/**
	 * Whether this is the channel's default handler ({@code onMessage}) rather than a
	 * wired action.
	 * @return {@code true} for the default handler
	 */
	public boolean isDefaultHandler() {
		return this.name == null;
	}

}
