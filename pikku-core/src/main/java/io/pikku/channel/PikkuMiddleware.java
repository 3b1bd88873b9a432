package io.pikku.channel;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Wire middleware: wraps a call (an action, the default handler, {@code onConnect} or
 * {@code onDisconnect}) in onion order. It may act before and after, change the result,
 * or answer without calling the rest. Inside it run the auth check, input binding,
 * permissions, validation and the function, so a middleware may also set the session
 * before the auth check.
 *
 * <pre class="code">
 * PikkuMiddleware timing = (call, next) -&gt; {
 *     long start = System.nanoTime();
 *     try {
 *         return next.proceed();
 *     }
 *     finally {
 *         log.info("{} took {} µs", call.action(), (System.nanoTime() - start) / 1000);
 *     }
 * };
 * </pre>
 */
@FunctionalInterface
public interface PikkuMiddleware {

	/**
	 * Handles a call.
	 * @param call the call: its channel, session, action and raw input
	 * @param next the rest of the chain
	 * @return the result (what {@code next.proceed()} returned, or another)
	 * @throws Exception answered as the call's error
	 */
	@Nullable Object handle(Call call, Next next) throws Exception;

	/**
	 * The rest of a middleware chain.
	 */
	@FunctionalInterface
	interface Next {

		/**
		 * Runs the rest of the chain and the function.
		 * @return the result, possibly a {@link java.util.concurrent.CompletionStage}
		 * @throws Exception what the rest threw
		 */
		@Nullable Object proceed() throws Exception;

	}

	/**
	 * What a middleware knows of the call it wraps.
	 */
	interface Call extends ChannelContext<Object> {

		/**
		 * What is being called.
		 * @return the kind of call
		 */
		Kind kind();

		/**
		 * The frame's JSON with the routing property and correlation field removed, or
		 * {@code null} for {@code onConnect} and {@code onDisconnect}.
		 * @return the raw input
		 */
		@Nullable JsonNode input();

	}

	/**
	 * The kinds of call middleware wraps.
	 */
	enum Kind {

		/** {@code onConnect}. */
		CONNECT,

		/** A wired action. */
		ACTION,

		/** The default {@code onMessage} handler. */
		MESSAGE,

		/** {@code onDisconnect}. */
		DISCONNECT

	}

}
