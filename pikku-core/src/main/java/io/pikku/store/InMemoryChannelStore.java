package io.pikku.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The channel store of a single instance, in memory. The embedded default.
 */
public final class InMemoryChannelStore implements ChannelStore {

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final Map<String, ChannelRecord> records = new ConcurrentHashMap<>();

	@Override
	public CompletionStage<Void> add(ChannelRecord record) {
		this.records.put(record.channelId(), record);
		return DONE;
	}

	@Override
	public CompletionStage<Optional<ChannelRecord>> get(String channelId) {
		return CompletableFuture.completedFuture(Optional.ofNullable(this.records.get(channelId)));
	}

	@Override
	public CompletionStage<Void> setSession(String channelId, @Nullable String userId, @Nullable JsonNode session) {
		this.records.computeIfPresent(channelId, (id, record) -> record.withSession(userId, session));
		return DONE;
	}

	@Override
	public CompletionStage<Void> setState(String channelId, @Nullable JsonNode state) {
		this.records.computeIfPresent(channelId, (id, record) -> record.withState(state));
		return DONE;
	}

	@Override
	public CompletionStage<Void> remove(String channelId) {
		this.records.remove(channelId);
		return DONE;
	}

	/**
	 * How many connections are recorded.
	 * @return the count
	 */
	public int size() {
		return this.records.size();
	}

}
