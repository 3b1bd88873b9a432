package io.pikku.channel.runtime;

import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/**
 * What a call puts in the logging MDC while it runs on a thread: {@code pikku.channel},
 * {@code pikku.channelId}, {@code pikku.action}, {@code pikku.correlationId} and
 * {@code pikku.userId}. Closing removes them.
 */
final class Mdc implements AutoCloseable {

	static final String CHANNEL = "pikku.channel";

	static final String CHANNEL_ID = "pikku.channelId";

	static final String ACTION = "pikku.action";

	static final String CORRELATION_ID = "pikku.correlationId";

	static final String USER_ID = "pikku.userId";

	/**
	 * By what was put besides the channel, its id and the action: see {@link #close()}.
	 */
	private static final Mdc[] INSTANCES = { new Mdc(false, false), new Mdc(true, false), new Mdc(false, true),
			new Mdc(true, true) };

	private final boolean correlation;

	private final boolean user;

	private Mdc(boolean correlation, boolean user) {
		this.correlation = correlation;
		this.user = user;
	}

	static Mdc put(String channel, String channelId, String action, @Nullable JsonNode correlation,
			@Nullable PikkuSession session) {
		MDC.put(CHANNEL, channel);
		MDC.put(CHANNEL_ID, channelId);
		MDC.put(ACTION, action);
		if (correlation != null) {
			MDC.put(CORRELATION_ID, correlation.asString());
		}
		if (session != null) {
			MDC.put(USER_ID, session.userId());
		}
		return INSTANCES[((correlation != null) ? 1 : 0) + ((session != null) ? 2 : 0)];
	}

	/**
	 * Removes what {@link #put} put: each key costs the MDC adapter a lookup and a write
	 * of its thread-local maps, on every call.
	 */
	@Override
	public void close() {
		MDC.remove(CHANNEL);
		MDC.remove(CHANNEL_ID);
		MDC.remove(ACTION);
		if (this.correlation) {
			MDC.remove(CORRELATION_ID);
		}
		if (this.user) {
			MDC.remove(USER_ID);
		}
	}

}
