package io.pikku.store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
	 * A record read from the string fields a hash-based store (a Redis hash) keeps it in:
	 * {@code channelName}, {@code openingData}, {@code userId}, {@code session} and
	 * {@code state}, the JSON ones as text.
	 * @param channelId the connection's channel id
	 * @param fields the fields
	 * @param mapper reads the JSON fields
	 * @return the record, or empty if the fields hold none
	 */
	public static Optional<ChannelRecord> fromFields(String channelId, Map<String, String> fields, JsonMapper mapper) {
		String channelName = fields.get("channelName");
		if (channelName == null) {
			return Optional.empty();
		}
		String session = fields.get("session");
		String state = fields.get("state");
		return Optional.of(new ChannelRecord(channelId, channelName,
				mapper.readTree(fields.getOrDefault("openingData", "{}")), fields.get("userId"),
				(session != null) ? mapper.readTree(session) : null, (state != null) ? mapper.readTree(state) : null));
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
