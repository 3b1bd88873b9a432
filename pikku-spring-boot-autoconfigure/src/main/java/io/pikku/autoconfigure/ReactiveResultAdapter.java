package io.pikku.autoconfigure;

import java.util.concurrent.CompletionStage;

import io.pikku.channel.runtime.ResultAdapter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Turns a result of any reactive type of a {@link ReactiveAdapterRegistry} into a
 * {@link CompletionStage}: of its value, {@code null} when empty, or of a list of the
 * values of a multi-value type.
 */
final class ReactiveResultAdapter implements ResultAdapter {

	private final ReactiveAdapterRegistry registry;

	ReactiveResultAdapter(ReactiveAdapterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object adapt(@Nullable Object result) {
		if (result == null || result instanceof CompletionStage<?>) {
			return result;
		}
		ReactiveAdapter adapter = this.registry.getAdapter(result.getClass());
		if (adapter == null) {
			return result;
		}
		if (adapter.isMultiValue()) {
			return Flux.from(adapter.toPublisher(result)).collectList().toFuture();
		}
		return Mono.from(adapter.toPublisher(result)).toFuture();
	}

}
