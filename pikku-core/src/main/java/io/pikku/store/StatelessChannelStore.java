package io.pikku.store;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link ChannelStore} for a runtime that holds no connection in memory between events
 * (behind a managed WebSocket gateway): every instance reads and writes every connection,
 * finds a user's connections, and runs one event of a connection at a time. A shared
 * implementation lets records expire some time after the gateway's longest connection, so
 * that a connection whose disconnect never came is forgotten.
 */
public interface StatelessChannelStore extends ChannelStore {

	/**
	 * The connections of a user, on every instance.
	 * @param userId the user id
	 * @return their channel ids; some may be gone already
	 */
	CompletionStage<List<String>> channelsOfUser(String userId);

	/**
	 * Runs work for a connection once no other work for the same connection runs, on any
	 * instance sharing this store, so that two events of one connection never read and
	 * write its state at the same time.
	 * @param <T> the result type
	 * @param channelId the connection
	 * @param work the work
	 * @return the work's result
	 */
	<T> CompletionStage<T> exclusive(String channelId, Supplier<CompletionStage<T>> work);

}
