package io.pikku.channel;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a channel's message wiring: frames whose routing property has this action
 * name call this function, with these options.
 *
 * @param routingProperty the routing property, or {@code null} for the configured default
 * ({@code action} unless set otherwise)
 * @param name the action name
 * @param function the function called
 * @param auth whether a call needs a session, overriding the function and the channel, or
 * {@code null}
 */
public record ActionWiring(@Nullable String routingProperty, String name, PikkuFunction<?, ?> function,
		@Nullable Boolean auth) {

	public ActionWiring {
		if (routingProperty != null && routingProperty.isBlank()) {
			throw new IllegalArgumentException("A routing property must not be blank");
		}
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("An action needs a name");
		}
		Objects.requireNonNull(function, () -> "Action '" + name + "' needs a function");
	}

	/**
	 * Per-action options of a wiring, set in
	 * {@link ChannelDefinition.Builder#action(String, PikkuFunction, java.util.function.Consumer)}.
	 */
	public static final class Options {

		private @Nullable Boolean auth;

		Options() {
		}

		/**
		 * Whether a call needs a session, overriding the function and the channel: e.g.
		 * {@code false} for an {@code authenticate} action.
		 * @param auth whether a session is required
		 * @return these options
		 */
		public Options auth(boolean auth) {
			this.auth = auth;
			return this;
		}

		@Nullable Boolean auth() {
			return this.auth;
		}

	}

}
