package io.pikku.channel.runtime;

import org.jspecify.annotations.Nullable;

/**
 * Turns what a function or lifecycle hook returns into what the runtime understands: a
 * result of another asynchronous type (e.g. Reactor's {@code Mono}) becomes a
 * {@link java.util.concurrent.CompletionStage}; anything else is returned as it is.
 */
@FunctionalInterface
public interface ResultAdapter {

	/** Keeps every result as it is. */
	ResultAdapter NONE = (result) -> result;

	/**
	 * Adapts one result.
	 * @param result what user code returned, or {@code null}
	 * @return a {@link java.util.concurrent.CompletionStage}, or the result unchanged
	 */
	@Nullable Object adapt(@Nullable Object result);

}
