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

	private static final Mdc INSTANCE = new Mdc();

	private Mdc() {
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
		return INSTANCE;
	}

	@Override
	public void close() {
		MDC.remove(CHANNEL);
		MDC.remove(CHANNEL_ID);
		MDC.remove(ACTION);
		MDC.remove(CORRELATION_ID);
		MDC.remove(USER_ID);
	}

}
