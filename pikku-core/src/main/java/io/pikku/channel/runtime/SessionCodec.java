package io.pikku.channel.runtime;

import java.time.Instant;
import java.util.Map;

import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link PikkuSession} into a {@link io.pikku.store.ChannelStore} and reads it
 * back, for a runtime that rebuilds a connection from the store on every event. Whatever
 * it writes may sit in a shared store: never a raw credential.
 */
public interface SessionCodec {

	/**
	 * The session as JSON.
	 * @param session the session
	 * @return the JSON, or {@code null} if this codec cannot write it (only its user id
	 * and expiry are then stored)
	 */
	@Nullable JsonNode encode(PikkuSession session);

	/**
	 * A session read back.
	 * @param stored what {@link #encode} wrote
	 * @return the session, or {@code null} if this codec cannot read it (the
	 * {@link #plain plain codec} then reads its user id and expiry)
	 */
	@Nullable PikkuSession decode(JsonNode stored);

	/**
	 * The plain codec: the session as Jackson writes it, read back as a session with its
	 * user id, its {@code attributes} and its expiry.
	 * @param mapper the JSON mapper
	 * @return the codec
	 */
	static SessionCodec plain(JsonMapper mapper) {
		return new SessionCodec() {

			@Override
			public @Nullable JsonNode encode(PikkuSession session) {
				JsonNode tree = mapper.valueToTree(session);
				Instant expiresAt = session.expiresAt();
				if (tree instanceof ObjectNode object && expiresAt != null) {
					object.put("expiresAt", expiresAt.toEpochMilli());
				}
				return tree;
			}

			@Override
			@SuppressWarnings("unchecked")
			public @Nullable PikkuSession decode(JsonNode stored) {
				String userId = stored.path("userId").asString(null);
				if (userId == null || userId.isBlank()) {
					return null;
				}
				Map<String, Object> attributes = stored.path("attributes").isObject()
						? mapper.treeToValue(stored.get("attributes"), Map.class) : Map.of();
				JsonNode expiresAt = stored.get("expiresAt");
				return new StoredSession(userId, attributes,
						(expiresAt != null && expiresAt.isNumber()) ? Instant.ofEpochMilli(expiresAt.asLong()) : null);
			}

		};
	}

	/**
	 * A session read back by the plain codec.
	 *
	 * @param userId the user id
	 * @param attributes more about the user
	 * @param expiresAt when it expires, or {@code null}
	 */
	record StoredSession(String userId, Map<String, Object> attributes,
			@Nullable Instant expiresAt) implements PikkuSession {

		public StoredSession {
			if (userId == null || userId.isBlank()) {
				throw new IllegalArgumentException("A session needs a user id");
			}
			attributes = Map.copyOf(attributes);
		}

	}

}
