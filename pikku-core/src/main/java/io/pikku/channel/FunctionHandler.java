package io.pikku.channel;

import org.jspecify.annotations.Nullable;

/**
 * The code of a {@link PikkuFunction}.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface FunctionHandler<I, O> {

	/**
	 * Handles one call. The result is sent to the client with the routing property added
	 * back; a {@link java.util.concurrent.CompletionStage} is sent when it completes.
	 * @param input the bound and validated input ({@code null} for {@code Void} input)
	 * @param context the channel and session of the call
	 * @return the result, or {@code null} to acknowledge only
	 * @throws Exception to answer an error: a {@link PikkuException} with its code, any
	 * other as {@code internal}
	 */
	@Nullable O handle(I input, ChannelContext<?> context) throws Exception;

}
