package io.pikku.channel;

import java.util.ArrayList;
import java.util.List;
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
 * @param permissions permission groups, overriding the function's and the channel's, or
 * {@code null}
 * @param middleware wire middleware of this action, inside the tag and channel ones
 * @param rateLimit this action's own rate limit per connection, instead of the
 * connection's, or {@code null}
 * @param nonBlocking whether the function is declared here never to block its thread, so
 * that a reactive transport runs it on the connection's event loop
 */
public record ActionWiring(@Nullable String routingProperty, String name, PikkuFunction<?, ?> function,
		@Nullable Boolean auth, @Nullable Permissions permissions, List<PikkuMiddleware> middleware,
		@Nullable RateLimit rateLimit, boolean nonBlocking) {

	/**
	 * A wiring without permissions or middleware.
	 * @param routingProperty the routing property, or {@code null} for the default
	 * @param name the action name
	 * @param function the function
	 * @param auth the auth override, or {@code null}
	 */
	public ActionWiring(@Nullable String routingProperty, String name, PikkuFunction<?, ?> function,
			@Nullable Boolean auth) {
		this(routingProperty, name, function, auth, null, List.of(), null, false);
	}

	public ActionWiring {
		if (routingProperty != null && routingProperty.isBlank()) {
			throw new IllegalArgumentException("A routing property must not be blank");
		}
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("An action needs a name");
		}
		Objects.requireNonNull(function, () -> "Action '" + name + "' needs a function");
		middleware = List.copyOf(middleware);
	}

	/**
	 * Per-action options of a wiring, set in
	 * {@link ChannelDefinition.Builder#action(String, PikkuFunction, java.util.function.Consumer)}.
	 */
	public static final class Options {

		private @Nullable Boolean auth;

		private @Nullable Permissions permissions;

		private final List<PikkuMiddleware> middleware = new ArrayList<>();

		private @Nullable RateLimit rateLimit;

		private boolean nonBlocking;

		Options() {
		}

		/**
		 * Declares that this action's function never blocks its thread: it returns at
		 * once, e.g. with a {@link java.util.concurrent.CompletionStage} or a
		 * {@code Mono}, or only computes. A reactive transport then runs it on the
		 * connection's event loop instead of a worker thread.
		 * @return these options
		 */
		public Options nonBlocking() {
			this.nonBlocking = true;
			return this;
		}

		boolean isNonBlocking() {
			return this.nonBlocking;
		}

		/**
		 * Gives this action its own rate limit per connection, instead of the
		 * connection's ({@code pikku.rate-limit.*}).
		 * @param messagesPerSecond the sustained rate
		 * @param burst how many calls may come at once
		 * @return these options
		 */
		public Options rateLimit(long messagesPerSecond, long burst) {
			this.rateLimit = new RateLimit(messagesPerSecond, burst);
			return this;
		}

		@Nullable RateLimit rateLimit() {
			return this.rateLimit;
		}

		/**
		 * Adds a permission group for this action, replacing the function's and the
		 * channel's groups.
		 * @param group the group's name
		 * @param checks the checks that must all pass
		 * @return these options
		 */
		public Options permission(String group, PermissionCheck... checks) {
			this.permissions = ((this.permissions != null) ? this.permissions : Permissions.NONE).and(group, checks);
			return this;
		}

		/**
		 * Adds wire middleware around this action, inside the tag and channel ones.
		 * @param middleware the middleware, outermost first
		 * @return these options
		 */
		public Options middleware(PikkuMiddleware... middleware) {
			this.middleware.addAll(List.of(middleware));
			return this;
		}

		@Nullable Permissions permissions() {
			return this.permissions;
		}

		List<PikkuMiddleware> middleware() {
			return this.middleware;
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
