package io.pikku.bench;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a measured run waits for the server's JIT compiler.
 */
class ScenariosTests {

	private static final long MS = 1_000_000;

	@Test
	void theRunGoesOnUntilASliceInWhichTheCompilerTookAtMostTenMilliseconds() {
		Iterator<Long> compiler = List.of(0L, 300 * MS, 350 * MS, 400 * MS, 410 * MS, 900 * MS).iterator();
		AtomicInteger slices = new AtomicInteger();
		Scenarios.untilCompilerQuiet(compiler::next, slices::incrementAndGet, Duration.ofMinutes(1));
		// 300, 50, 50 ms of compiling, then 10: quiet
		assertThat(slices).hasValue(4);
	}

	@Test
	void aCompilerThatNeverGoesQuietIsWaitedForUpToTheLimit() {
		AtomicInteger slices = new AtomicInteger();
		long[] compiler = { 0 };
		long waited = Scenarios.untilCompilerQuiet(() -> compiler[0] += 100 * MS, () -> {
			slices.incrementAndGet();
			Scenarios.sleep(Duration.ofMillis(20));
		}, Duration.ofMillis(200));
		assertThat(slices.get()).isBetween(1, 11);
		assertThat(waited).isGreaterThanOrEqualTo(200L);
	}

	@Test
	void noWaitWhenTheCompilerIsUnknownOrTheLimitIsZero() {
		AtomicInteger slices = new AtomicInteger();
		Scenarios.untilCompilerQuiet(() -> -1, slices::incrementAndGet, Duration.ofMinutes(1));
		long[] compiler = { 0 };
		Scenarios.untilCompilerQuiet(() -> compiler[0] += 100 * MS, slices::incrementAndGet, Duration.ZERO);
		assertThat(slices).hasValue(0);
	}

	@Test
	void whatTheRestOfTheMachineTookIsItsBusyTimeLessTheServersAndTheClientsPerCore() {
		// 10 s measured: the machine's cores were busy 16.5 s, the server and the client
		// took 15 s of it, so 1.5 s went elsewhere: 15% of a core.
		assertThat(Scenarios.othersCpuPercent(1_000 * MS, 17_500 * MS, 15_000 * MS, 10_000 * MS)).isEqualTo(15.0);
		assertThat(Scenarios.othersCpuPercent(-1, 17_500 * MS, 15_000 * MS, 10_000 * MS)).isNaN();
	}

}
