package io.pikku.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each scenario runs: the full run, or a smoke run of about a second
 * per scenario that only proves the suite still works.
 *
 * @param name {@code full} or {@code smoke}
 * @param rounds how many times every server runs every scenario, interleaved
 * @param connections round-trip connections
 * @param depths calls in flight per connection
 * @param warmup round-trip warm-up per run
 * @param measure round-trip measurement per run
 * @param subscribers fan-out audiences
 * @param fanOutMeasure fan-out measurement per run
 * @param minPublishes fewest publishes per fan-out run
 * @param relayRates scale-out publish rates (messages per second)
 * @param relayPublishers scale-out publishing connections
 * @param relayMeasure scale-out measurement per run
 * @param idleConnections capacity connections
 * @param serverHeap heap of every server JVM
 */
record Settings(String name, int rounds, int connections, List<Integer> depths, Duration warmup, Duration measure,
		List<Integer> subscribers, Duration fanOutMeasure, int minPublishes, List<Integer> relayRates,
		int relayPublishers, Duration relayMeasure, int idleConnections, String serverHeap) {

	Settings withRounds(int rounds) {
		return new Settings(this.name, rounds, this.connections, this.depths, this.warmup, this.measure,
				this.subscribers, this.fanOutMeasure, this.minPublishes, this.relayRates, this.relayPublishers,
				this.relayMeasure, this.idleConnections, this.serverHeap);
	}

	Settings withRelayRates(List<Integer> relayRates) {
		return new Settings(this.name, this.rounds, this.connections, this.depths, this.warmup, this.measure,
				this.subscribers, this.fanOutMeasure, this.minPublishes, relayRates, this.relayPublishers,
				this.relayMeasure, this.idleConnections, this.serverHeap);
	}

	static Settings full() {
		return new Settings("full", 3, 64, List.of(1, 8), Duration.ofSeconds(3), Duration.ofSeconds(10),
				List.of(1_000, 10_000), Duration.ofSeconds(5), 10, List.of(1_000, 5_000, 10_000), 20,
				Duration.ofSeconds(10), 10_000, "1g");
	}

	static Settings smoke() {
		return new Settings("smoke", 1, 8, List.of(1, 8), Duration.ofMillis(200), Duration.ofSeconds(1),
				List.of(50, 200), Duration.ofSeconds(1), 2, List.of(1_000), 4, Duration.ofSeconds(1), 200, "256m");
	}

}
