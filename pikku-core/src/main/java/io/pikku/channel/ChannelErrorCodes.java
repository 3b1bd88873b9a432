package io.pikku.channel;

/**
 * The error codes the runtime answers with, in the {@code error.code} field of an error
 * reply. Applications may use their own codes too, through {@link PikkuException}.
 */
public final class ChannelErrorCodes {

	/** The frame is not JSON. */
	public static final String INVALID_JSON = "invalid_json";

	/** No wired action matches the frame. */
	public static final String UNKNOWN_ACTION = "unknown_action";

	/** The input or the opening data failed binding or Bean Validation. */
	public static final String VALIDATION_FAILED = "validation_failed";

	/** The call needs a session and the connection has none. */
	public static final String UNAUTHORIZED = "unauthorized";

	/** The session may not make this call. */
	public static final String FORBIDDEN = "forbidden";

	/** What the call refers to does not exist. */
	public static final String NOT_FOUND = "not_found";

	/** The frame is larger than the configured limit. */
	public static final String TOO_LARGE = "too_large";

	/** A binary frame was sent to a channel that accepts text only. */
	public static final String UNSUPPORTED_FRAME = "unsupported_frame";

	/** A per-connection limit is reached, e.g. the number of subscriptions. */
	public static final String LIMIT_EXCEEDED = "limit_exceeded";

	/** The connection sends faster than it may. */
	public static final String RATE_LIMITED = "rate_limited";

	/** The server failed; the detail is in its log, never on the wire. */
	public static final String INTERNAL = "internal";

	private ChannelErrorCodes() {
	}

}
