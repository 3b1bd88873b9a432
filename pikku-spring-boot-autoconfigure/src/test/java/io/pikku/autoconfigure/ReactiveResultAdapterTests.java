package io.pikku.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReactiveResultAdapter}.
 */
class ReactiveResultAdapterTests {

	private final ReactiveResultAdapter adapter = new ReactiveResultAdapter(
			ReactiveAdapterRegistry.getSharedInstance());

	@Test
	void aMonoBecomesAStageOfItsValue() throws Exception {
		assertThat(join(this.adapter.adapt(Mono.just("one")))).isEqualTo("one");
		assertThat(join(this.adapter.adapt(Mono.empty()))).isNull();
	}

	@Test
	void aFluxBecomesAStageOfTheListOfItsValues() throws Exception {
		assertThat(join(this.adapter.adapt(Flux.just(1, 2, 3)))).isEqualTo(List.of(1, 2, 3));
		assertThat(join(this.adapter.adapt(Flux.empty()))).isEqualTo(List.of());
	}

	@Test
	void aFailureFailsTheStage() {
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> join(this.adapter.adapt(Mono.error(new IllegalStateException("boom")))))
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void otherResultsAreKeptAsTheyAre() {
		CompletableFuture<String> stage = CompletableFuture.completedFuture("x");
		assertThat(this.adapter.adapt(stage)).isSameAs(stage);
		assertThat(this.adapter.adapt("plain")).isEqualTo("plain");
		assertThat(this.adapter.adapt(null)).isNull();
		assertThat(this.adapter.adapt(List.of(1))).isEqualTo(List.of(1));
	}

	private static Object join(Object stage) throws Exception {
		assertThat(stage).isInstanceOf(CompletionStage.class);
		return ((CompletionStage<?>) stage).toCompletableFuture().get(5, TimeUnit.SECONDS);
	}

}
