package io.pikku.channel.runtime;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store and EventHub writes of connections that are not complete yet, so that a
 * graceful stop can wait for them.
 */
final class PendingWrites {

	private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

	/**
	 * Tracks a write until it completes.
	 * @param write the write
	 * @return the write
	 */
	CompletionStage<Void> track(CompletionStage<Void> write) {
		CompletableFuture<Void> done = write.toCompletableFuture().handle((ignored, failure) -> null);
		if (!done.isDone()) {
			this.pending.add(done);
			done.whenComplete((ignored, failure) -> this.pending.remove(done));
		}
		return write;
	}

	/**
	 * Completes, never exceptionally, when every write tracked so far is done.
	 * @return the stage
	 */
	CompletableFuture<Void> all() {
		return CompletableFuture.allOf(this.pending.toArray(CompletableFuture[]::new));
	}

}
