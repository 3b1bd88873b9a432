package io.pikku.channel.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Keeps one connection's frames in order: each step starts when the one before it has
 * completed, whatever thread it hopped to; and runs a step that may block on the
 * connection's executor for blocking work, if it has one.
 *
 * <p>
 * Steps are started by the transport's reading thread, one at a time.
 */
final class FrameSequencer {

	static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	private final @Nullable Executor blockingExecutor;

	/** The last step not yet done, which later steps wait for. */
	private volatile CompletableFuture<Void> pending = DONE;

	FrameSequencer(@Nullable Executor blockingExecutor) {
		this.blockingExecutor = blockingExecutor;
	}

	/**
	 * Runs a step after the ones before it: at once if they are done.
	 * @param step the step
	 * @return completes when the step has
	 */
	CompletionStage<Void> inOrder(Supplier<CompletionStage<Void>> step) {
		CompletableFuture<Void> previous = this.pending;
		if (previous.isDone()) {
			CompletableFuture<Void> result = step.get().toCompletableFuture();
			if (!result.isDone()) {
				this.pending = result;
			}
			return result;
		}
		// A step that failed must not hold up the steps after it.
		CompletableFuture<Void> next = previous.handle((ignored, failure) -> (Void) null)
			.thenCompose((ignored) -> step.get());
		this.pending = next;
		return next;
	}

	/**
	 * Runs a step that may block: on the executor for blocking work if there is one, else
	 * here.
	 * @param step the step
	 * @return completes when the step has
	 */
	CompletionStage<Void> mayBlock(Supplier<CompletionStage<Void>> step) {
		Executor executor = this.blockingExecutor;
		if (executor == null) {
			return step.get();
		}
		try {
			return CompletableFuture.supplyAsync(step, executor).thenCompose((stage) -> stage);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** Whether steps may hop to another thread. */
	boolean hops() {
		return this.blockingExecutor != null;
	}

	/**
	 * Makes a step still running (e.g. {@code onConnect} on a worker) the one later steps
	 * wait for.
	 * @param step the step
	 */
	void awaiting(CompletableFuture<Void> step) {
		if (!step.isDone()) {
			this.pending = step;
		}
	}

	/**
	 * The last step not yet done.
	 * @return the step, or a completed stage
	 */
	CompletableFuture<Void> pending() {
		return this.pending;
	}

}
