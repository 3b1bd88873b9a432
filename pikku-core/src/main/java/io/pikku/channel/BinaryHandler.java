package io.pikku.channel;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Handles binary frames on a channel that accepts them.
 *
 * @param <D> the type of the opening data
 */
@FunctionalInterface
public interface BinaryHandler<D> {

	/**
	 * Handles one binary frame.
	 * @param data the frame's bytes
	 * @param context the channel and session
	 * @return a reply: {@code byte[]} or {@link ByteBuffer} is sent as a binary frame,
	 * anything else as JSON, {@code null} sends nothing
	 * @throws Exception answered as an error, as for functions
	 */
	@Nullable Object onBinary(ByteBuffer data, ChannelContext<D> context) throws Exception;

}
