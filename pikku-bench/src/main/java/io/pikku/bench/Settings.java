package io.pikku.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each scenario runs: the full run, or a smoke run of about a second
 * per scenario and server (half a second measured) that only proves the suite still works
 * and checks every reply.
 *
 * @param name {@code full} or {@code smoke}
 * @param rounds how many times every server runs every scenario, interleaved
 * @param connections round-trip connections
 * @param depths calls in flight per connection
 * @param warmup round-trip warm-up per run (and the paced runs' unrecorded lead-in)
 * @param measure round-trip measurement per run
 * @param subscribers fan-out audiences
 * @param fanOutMeasure fan-out measurement per run
 * @param minPublishes fewest publishes per fan-out run
 * @param pacedSubscribers paced fan-out audience
 * @param pacedRate paced fan-out publishes per second
 * @param pacedMeasure paced fan-out measurement per run
 * @param relayRates scale-out publish rates (messages per second)
 * @param relayPublishers scale-out publishing connections
 * @param relayMeasure scale-out measurement per run
 * @param idleConnections capacity connections on the servlet stack
 * @param reactiveIdleConnections capacity connections on the reactive stack
 * @param capacitySettle capacity: the wait after opening the connections, and after
 * closing them
 * @param serverHeap heap of every server JVM
 * @param serverOptions more options of every server JVM
 * @param serverWarmup how long each server runs the round trip (and a fan-out at each
 * number of subscribers) before each round, unrecorded; zero for none
 * @param compilerQuietLimit how much longer a round trip or fan-out may run unrecorded,
 * after its warm-up, until the server's JIT compiler has gone quiet; zero for not at all
 * @param clientThreads the load client's event loop threads, each serving its share of
 * the connections (2: one per core of the machines it was tuned on)
 * @param checkEvery round trips check the bytes of one reply in this many (every reply in
 * the smoke run)
 * @param passes how many times each round measures every round trip and fan-out, every
 * other pass in the reverse order: the machine's noise from one run to the next is as
 * large as the differences measured, and more runs per round narrow the medians at less
 * cost than more rounds (each of which starts and warms up every server again)
 */
record Settings(String name, int rounds, int connections, List<Integer> depths, Duration warmup, Duration measure,
		List<Integer> subscribers, Duration fanOutMeasure, int minPublishes, int pacedSubscribers, int pacedRate,
		Duration pacedMeasure, List<Integer> relayRates, int relayPublishers, Duration relayMeasure,
		int idleConnections, int reactiveIdleConnections, Duration capacitySettle, String serverHeap,
		List<String> serverOptions, Duration serverWarmup, Duration compilerQuietLimit, int clientThreads,
		int checkEvery, int passes) {

	Settings withRounds(int rounds) {
		return new Settings(this.name, rounds, this.connections, this.depths, this.warmup, this.measure,
				this.subscribers, this.fanOutMeasure, this.minPublishes, this.pacedSubscribers, this.pacedRate,
				this.pacedMeasure, this.relayRates, this.relayPublishers, this.relayMeasure, this.idleConnections,
				this.reactiveIdleConnections, this.capacitySettle, this.serverHeap, this.serverOptions,
				this.serverWarmup, this.compilerQuietLimit, this.clientThreads, this.checkEvery, this.passes);
	}

	Settings withRelayRates(List<Integer> relayRates) {
		return new Settings(this.name, this.rounds, this.connections, this.depths, this.warmup, this.measure,
				this.subscribers, this.fanOutMeasure, this.minPublishes, this.pacedSubscribers, this.pacedRate,
				this.pacedMeasure, relayRates, this.relayPublishers, this.relayMeasure, this.idleConnections,
				this.reactiveIdleConnections, this.capacitySettle, this.serverHeap, this.serverOptions,
				this.serverWarmup, this.compilerQuietLimit, this.clientThreads, this.checkEvery, this.passes);
	}

	Settings withClientThreads(int clientThreads) {
		return new Settings(this.name, this.rounds, this.connections, this.depths, this.warmup, this.measure,
				this.subscribers, this.fanOutMeasure, this.minPublishes, this.pacedSubscribers, this.pacedRate,
				this.pacedMeasure, this.relayRates, this.relayPublishers, this.relayMeasure, this.idleConnections,
				this.reactiveIdleConnections, this.capacitySettle, this.serverHeap, this.serverOptions,
				this.serverWarmup, this.compilerQuietLimit, clientThreads, this.checkEvery, this.passes);
	}

	/**
	 * The idle connections of the capacity scenario on a stack.
	 * @param stack the stack
	 * @return how many
	 */
	int idleConnections(Stack stack) {
		return (stack == Stack.REACTIVE) ? this.reactiveIdleConnections : this.idleConnections;
	}

	/**
	 * The paced fan-out's variant, e.g. {@code 1000 subscribers x 100 msg/s}.
	 * @return the variant
	 */
	String pacedVariant() {
		return this.pacedSubscribers + " subscribers x " + this.pacedRate + " msg/s";
	}

	static Settings full() {
		return new Settings("full", 3, 64, List.of(1, 8), Duration.ofSeconds(3), Duration.ofSeconds(10),
				List.of(1_000, 10_000), Duration.ofSeconds(5), 10, 1_000, 100, Duration.ofSeconds(10),
				List.of(1_000, 5_000, 10_000), 20, Duration.ofSeconds(10), 10_000, 5_000, Duration.ofSeconds(1), "1g",
				List.of(), Duration.ofSeconds(6), Duration.ofSeconds(15), 2, 16, 2);
	}

	static Settings smoke() {
		return new Settings("smoke", 1, 8, List.of(1, 8), Duration.ofMillis(200), Duration.ofMillis(500),
				List.of(50, 200), Duration.ofMillis(500), 2, 50, 100, Duration.ofMillis(500), List.of(1_000), 4,
				Duration.ofSeconds(1), 200, 200, Duration.ofMillis(300), "256m",
				// Proving that the servers answer needs no compiled code: C1 starts them
				// faster, and no warm-up.
				List.of("-XX:TieredStopAtLevel=1"), Duration.ZERO, Duration.ZERO, 2, 1, 1);
	}

}
