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

	/**
	 * The adapter of each result class, looked up once: results of plain types are the
	 * common case, and the registry tries each of its adapters in turn.
	 */
	private final ClassValue<Lookup> adapters;

	ReactiveResultAdapter(ReactiveAdapterRegistry registry) {
		this.adapters = new ClassValue<>() {

			@Override
			protected Lookup computeValue(Class<?> type) {
				return new Lookup(registry.getAdapter(type));
			}

		};
	}

	@Override
	public @Nullable Object adapt(@Nullable Object result) {
		if (result == null || result instanceof CompletionStage<?>) {
			return result;
		}
		ReactiveAdapter adapter = this.adapters.get(result.getClass()).adapter();
		if (adapter == null) {
			return result;
		}
		if (adapter.isMultiValue()) {
			return Flux.from(adapter.toPublisher(result)).collectList().toFuture();
		}
		return Mono.from(adapter.toPublisher(result)).toFuture();
	}

	private record Lookup(@Nullable ReactiveAdapter adapter) {
	}

}
