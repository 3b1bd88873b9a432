package io.pikku.store;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What is known of each open connection: its channel, opening data, user, session and
 * state, by channel id. The runtime keeps it up to date; an EventHub reads it for
 * presence. Every method is asynchronous and never blocks the caller on the network.
 */
public interface ChannelStore {

	/**
	 * Records a new connection.
	 * @param record the connection
	 * @return completes when stored
	 */
	CompletionStage<Void> add(ChannelRecord record);

	/**
	 * Finds a connection.
	 * @param channelId the channel id
	 * @return the record, or empty if unknown
	 */
	CompletionStage<Optional<ChannelRecord>> get(String channelId);

	/**
	 * Records who a connection's user is; unknown channels are ignored.
	 * @param channelId the channel id
	 * @param userId the user id, or {@code null} after a logout
	 * @param session the session as JSON, or {@code null}
	 * @return completes when stored
	 */
	CompletionStage<Void> setSession(String channelId, @Nullable String userId, @Nullable JsonNode session);

	/**
	 * Records a connection's state; unknown channels are ignored.
	 * @param channelId the channel id
	 * @param state the state as JSON, or {@code null} to clear it
	 * @return completes when stored
	 */
	CompletionStage<Void> setState(String channelId, @Nullable JsonNode state);

	/**
	 * Forgets a connection; removing an unknown channel is a quiet no-op, as disconnects
	 * may be reported more than once.
	 * @param channelId the channel id
	 * @return completes when removed
	 */
	CompletionStage<Void> remove(String channelId);

}
