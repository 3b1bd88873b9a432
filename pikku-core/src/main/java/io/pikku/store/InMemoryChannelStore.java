package io.pikku.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The channel store of a single instance, in memory. The embedded default, and the
 * stateless runtime's store for tests and a single instance.
 */
public final class InMemoryChannelStore implements StatelessChannelStore {

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final Map<String, ChannelRecord> records = new ConcurrentHashMap<>();

	/** The last work queued for each connection, which the next one waits for. */
	private final Map<String, CompletableFuture<?>> queues = new ConcurrentHashMap<>();

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

	@Override
	public CompletionStage<List<String>> channelsOfUser(String userId) {
		return CompletableFuture.completedFuture(this.records.values()
			.stream()
			.filter((record) -> userId.equals(record.userId()))
			.map(ChannelRecord::channelId)
			.sorted()
			.toList());
	}

	@Override
	public <T> CompletionStage<T> exclusive(String channelId, Supplier<CompletionStage<T>> work) {
		CompletableFuture<T> result = new CompletableFuture<>();
		CompletableFuture<?> previous = this.queues.put(channelId, result);
		CompletableFuture<?> before = (previous != null) ? previous : DONE;
		before.handle((ignored, failure) -> null).thenCompose((ignored) -> {
			try {
				return work.get();
			}
			catch (RuntimeException ex) {
				return CompletableFuture.<T>failedFuture(ex);
			}
		}).whenComplete((value, failure) -> {
			this.queues.remove(channelId, result);
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(value);
			}
		});
		return result;
	}

	/**
	 * How many connections are recorded.
	 * @return the count
	 */
	public int size() {
		return this.records.size();
	}

}
