package io.pikku.channel.runtime;

import io.pikku.channel.ChannelContext;

/**
 * Sets up what a function's thread should see while it runs, e.g. Spring Security's
 * {@code SecurityContext} for the call's session, and restores it afterwards.
 */
@FunctionalInterface
public interface CallScope {

	/** A scope that sets up nothing. */
	CallScope NONE = (context) -> () -> {
	};

	/**
	 * Enters the scope of one call on the current thread.
	 * @param context the call's channel and session
	 * @return closes the scope, on the same thread
	 */
	Scope enter(ChannelContext<?> context);

	/**
	 * An entered scope.
	 */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
