package io.pikku.channel.runtime;

import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;

/**
 * What {@link FrameRouter} found in a text frame.
 *
 * @param kind what the frame is
 * @param replyTo what a reply or an error echoes
 * @param action the wired action the frame names, or {@code null}
 * @param input the call's input, for a routed frame
 * @param correlationInvalid whether the frame carried a correlation id that is neither a
 * string nor a number
 * @param detail the message of a {@link Kind#TOO_LARGE} frame
 */
record RoutedFrame(Kind kind, ReplyTo replyTo, @Nullable CompiledAction action, @Nullable CallInput input,
		boolean correlationInvalid, @Nullable String detail) {

	static RoutedFrame tooLarge(String detail) {
		return new RoutedFrame(Kind.TOO_LARGE, ReplyTo.NONE, null, null, false, detail);
	}

	static RoutedFrame invalid(Kind kind) {
		return new RoutedFrame(kind, ReplyTo.NONE, null, null, false, null);
	}

	static RoutedFrame routed(ReplyTo replyTo, @Nullable CompiledAction action, CallInput input,
			boolean correlationInvalid) {
		return new RoutedFrame(Kind.ROUTED, replyTo, action, input, correlationInvalid, null);
	}

	static RoutedFrame notAnObject(CallInput input) {
		return new RoutedFrame(Kind.NOT_AN_OBJECT, ReplyTo.NONE, null, input, false, null);
	}

	/**
	 * What a frame is.
	 */
	enum Kind {

		/** Past Jackson's read constraints (nesting depth, number and string lengths). */
		TOO_LARGE,

		/** Not JSON. */
		INVALID_JSON,

		/** Empty. */
		EMPTY,

		/** A JSON value that is not an object: for the default handler. */
		NOT_AN_OBJECT,

		/** An object: its action (if it names one), reply address and input. */
		ROUTED

	}

}
