package io.pikku.store;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link ChannelStore} keeps of one connection, as JSON so that it can live
 * outside this process.
 *
 * @param channelId the connection's channel id
 * @param channelName the channel it belongs to
 * @param openingData its opening data
 * @param userId the user id of its session, or {@code null}
 * @param session its session, or {@code null}
 * @param state its per-connection state, or {@code null}
 */
public record ChannelRecord(String channelId, String channelName, JsonNode openingData, @Nullable String userId,
		@Nullable JsonNode session, @Nullable JsonNode state) {

	public ChannelRecord {
		Objects.requireNonNull(channelId, "channelId");
		Objects.requireNonNull(channelName, "channelName");
		Objects.requireNonNull(openingData, "openingData");
	}

	/**
	 * This record with another session.
	 * @param userId the new user id, or {@code null}
	 * @param session the new session, or {@code null}
	 * @return the new record
	 */
	public ChannelRecord withSession(@Nullable String userId, @Nullable JsonNode session) {
		return new ChannelRecord(this.channelId, this.channelName, this.openingData, userId, session, this.state);
	}

	/**
	 * This record with another state.
	 * @param state the new state, or {@code null}
	 * @return the new record
	 */
	public ChannelRecord withState(@Nullable JsonNode state) {
		return new ChannelRecord(this.channelId, this.channelName, this.openingData, this.userId, this.session, state);
	}

}
