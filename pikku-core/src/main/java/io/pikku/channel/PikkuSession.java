package io.pikku.channel;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The user session of a connection: who is calling. It belongs to the user and is shared
 * by all the user's connections, unlike the per-connection state of a
 * {@link PikkuChannel}.
 *
 * <p>
 * A session comes from the authenticated upgrade request or is set in-band with
 * {@link ChannelContext#setSession(PikkuSession)}.
 */
public interface PikkuSession {

	/**
	 * The user's id, for presence and logging.
	 * @return the user id
	 */
	String userId();

	/**
	 * When the credential behind this session expires: from then on, calls that need a
	 * session answer {@code unauthorized} until the connection logs in again.
	 * @return the expiry, or {@code null} if it does not expire
	 */
	default @Nullable Instant expiresAt() {
		return null;
	}

	/**
	 * Whether the credential has expired.
	 * @param now the current time
	 * @return whether it has
	 */
	default boolean isExpired(Instant now) {
		Instant expiresAt = expiresAt();
		return expiresAt != null && !now.isBefore(expiresAt);
	}

	/**
	 * A plain session with a user id and attributes.
	 * @param userId the user's id
	 * @param attributes more about the user, e.g. roles
	 * @return the session
	 */
	static PikkuSession of(String userId, Map<String, Object> attributes) {
		return new SimpleSession(userId, attributes);
	}

	/**
	 * A plain session with a user id only.
	 * @param userId the user's id
	 * @return the session
	 */
	static PikkuSession of(String userId) {
		return new SimpleSession(userId, Map.of());
	}

	/**
	 * The session made by {@link PikkuSession#of(String, Map)}.
	 *
	 * @param userId the user's id
	 * @param attributes more about the user
	 */
	record SimpleSession(String userId, Map<String, Object> attributes) implements PikkuSession {

		public SimpleSession {
			if (userId == null || userId.isBlank()) {
				throw new IllegalArgumentException("A session needs a user id");
			}
			attributes = Map.copyOf(attributes);
		}

	}

}
