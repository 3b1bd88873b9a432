package io.pikku.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pikku.bench.client.Protocol;
import io.pikku.bench.client.WsClient;
import io.pikku.bench.server.ServerKind;

/**
 * Runs every scenario against every server of both stacks, interleaved (servlet: A B C,
 * reactive: D E, then A B C D E again ...) so that machine noise falls on all of them
 * alike, then writes {@code BENCHMARKS.md}, the results as JSON and a chart per scenario
 * and stack. Each round starts and warms up servers of its own. Ours with observability
 * off runs every scenario too, so that it has the same history as ours (the JIT's
 * profiles, what the heap holds) when their round trips are compared. The round trip also
 * runs against the load client's ceiling (a server that answers with canned frames).
 * Scale-out ({@link ScaleOut}) runs pairs of instances of both stacks, a bare relay and a
 * Redis Cluster of its own.
 * <p>
 * Arguments: {@code --output=DIR} (where the report goes, default the current directory),
 * {@code --smoke} (about a second per scenario), {@code --scenarios=a,b} (some of
 * {@code round-trip}, {@code fan-out}, {@code paced-fan-out}, {@code scale-out},
 * {@code capacity}), {@code --rounds=N}, {@code --client-threads=N} (the load client's
 * event loops, 2 by default), {@code --jfr}; several in one argument too, separated by
 * spaces (as {@code -Dbench.args} passes them).
 */
public final class BenchmarkSuite {

	/** Every scenario, by the name {@code --scenarios=} takes. */
	static final Set<String> SCENARIOS = Set.of("round-trip", "fan-out", "paced-fan-out", "scale-out", "capacity");

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path output = Path.of(".");
		Settings settings = Settings.full();
		Set<String> scenarios = SCENARIOS;
		Integer rounds = null;
		Integer clientThreads = null;
		// -Dbench.args="--scenarios=round-trip --rounds=1" arrives as one argument.
		for (String arg : Arrays.stream(args).flatMap((part) -> Arrays.stream(part.trim().split("\\s+"))).toList()) {
			if (arg.startsWith("--output=")) {
				output = Path.of(arg.substring("--output=".length()));
			}
			else if (arg.equals("--smoke")) {
				settings = Settings.smoke();
			}
			else if (arg.startsWith("--scenarios=")) {
				scenarios = Set.of(arg.substring("--scenarios=".length()).split(","));
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(arg.substring("--rounds=".length()));
			}
			else if (arg.startsWith("--client-threads=")) {
				clientThreads = Integer.parseInt(arg.substring("--client-threads=".length()));
			}
			else if (arg.equals("--jfr")) {
				ServerProcess.recordFlights = true;
			}
			else if (!arg.isBlank()) {
				throw new IllegalArgumentException("Unknown argument: " + arg);
			}
		}
		if (rounds != null) {
			settings = settings.withRounds(rounds);
		}
		if (clientThreads != null) {
			settings = settings.withClientThreads(clientThreads);
		}
		Report report = run(settings, scenarios, output.resolve("target/bench-logs"));
		report.write(output);
		System.out.println("Wrote " + output.resolve(Report.MARKDOWN).toAbsolutePath().normalize());
	}

	/**
	 * Runs the rounds, each on servers of its own: started, checked and warmed up for the
	 * round and stopped after it, so that what one JVM's JIT made of a server (which
	 * differs from start to start by more than the servers differ) does not weigh on
	 * every round.
	 * @param settings how long and how big
	 * @param scenarioNames which scenarios to run
	 * @param logs where the servers' output goes
	 * @return the report
	 */
	static Report run(Settings settings, Set<String> scenarioNames, Path logs) throws Exception {
		List<Result> results = new ArrayList<>();
		long started = System.nanoTime();
		try (WsClient client = new WsClient(settings.clientThreads())) {
			for (int round = 1; round <= settings.rounds(); round++) {
				results.addAll(round(settings, scenarioNames, logs, client, round));
			}
		}
		long seconds = (System.nanoTime() - started) / 1_000_000_000L;
		return new Report(settings, results, seconds);
	}

	/**
	 * Starts the servers, runs the scenarios once and stops the servers.
	 * @param round the round, from 1
	 * @return the round's results
	 */
	private static List<Result> round(Settings settings, Set<String> scenarioNames, Path logs, WsClient client,
			int round) throws Exception {
		List<Result> results = new ArrayList<>();
		List<ServerProcess> servers = new ArrayList<>();
		ScaleOut scaleOut = null;
		try {
			Map<Stack, List<ServerProcess>> stacks = new EnumMap<>(Stack.class);
			for (Stack stack : Stack.values()) {
				List<ServerProcess> group = new ArrayList<>();
				for (ServerKind kind : stack.servers()) {
					group.add(ServerProcess.start(kind, settings, logs));
				}
				stacks.put(stack, group);
				servers.addAll(group);
			}
			ServerProcess ceiling = ServerProcess.start(ServerKind.CANNED, settings, logs);
			servers.add(ceiling);
			for (ServerProcess server : servers) {
				server.awaitReady();
			}
			System.out.printf("%tT round %d: %d servers ready%n", System.currentTimeMillis(), round, servers.size());
			Scenarios scenarios = new Scenarios(client, settings.checkEvery(), settings.compilerQuietLimit());
			List<ServerProcess> roundTrippers = roundTrippers(stacks, ceiling);
			for (ServerProcess server : roundTrippers) {
				scenarios.echo(server.webSocket(), protocol(server.kind()));
				server.checkObservability();
			}
			if (!settings.serverWarmup().isZero()) {
				// The warm-up runs for a fixed time: only the measured runs wait for the
				// compiler.
				warmUp(new Scenarios(client, settings.checkEvery(), Duration.ZERO), settings.serverWarmup(), settings,
						roundTrippers, stacks.values().stream().flatMap(List::stream).toList());
			}
			Map<Stack, List<ServerProcess>> inTurn = inTurn(stacks, round);
			for (int pass = 1; pass <= settings.passes(); pass++) {
				for (int depth : scenarioNames.contains("round-trip") ? settings.depths() : List.<Integer>of()) {
					for (ServerProcess server : inPass(roundTrippers(inTurn, ceiling), pass)) {
						results.add(print(new Result("round-trip", "depth " + depth, server.kind().label(), round,
								scenarios.roundTrip(server.webSocket(), protocol(server.kind()), settings.connections(),
										depth, settings.warmup(), settings.measure(), server::usage))));
					}
				}
			}
			for (int pass = 1; pass <= settings.passes(); pass++) {
				for (int subscribers : scenarioNames.contains("fan-out") ? settings.subscribers()
						: List.<Integer>of()) {
					for (List<ServerProcess> group : inTurn.values()) {
						for (ServerProcess server : inPass(group, pass)) {
							results.add(print(
									new Result("fan-out", subscribers + " subscribers", server.kind().label(), round,
											scenarios.fanOut(server.webSocket(), protocol(server.kind()), subscribers,
													3, settings.fanOutMeasure(), settings.minPublishes(), server::usage,
													server::usedHeap))));
						}
					}
				}
			}
			if (scenarioNames.contains("paced-fan-out")) {
				for (List<ServerProcess> group : inTurn.values()) {
					for (ServerProcess server : group) {
						results.add(
								print(new Result("paced-fan-out", settings.pacedVariant(), server.kind().label(), round,
										scenarios.pacedFanOut(server.webSocket(), protocol(server.kind()),
												settings.pacedSubscribers(), settings.pacedRate(), settings.warmup(),
												settings.pacedMeasure(), server::usage))));
					}
				}
			}
			if (scenarioNames.contains("scale-out")) {
				// Started only now: idle beside the round trips and fan-outs, its ten
				// instances on Redis and a Redis Cluster took about a seventh of a core
				// from every run measured there (the rest of the machine's CPU in a
				// window: a median of 25% of a core with them, 10% without).
				scaleOut = ScaleOut.start(ScaleOut.Plan.of(settings), logs);
				scaleOut.warmUp(client);
				results.addAll(scaleOut.round(client, round));
			}
			if (scenarioNames.contains("capacity")) {
				for (Map.Entry<Stack, List<ServerProcess>> group : inTurn.entrySet()) {
					int connections = settings.idleConnections(group.getKey());
					for (ServerProcess server : group.getValue()) {
						results.add(print(new Result("capacity", connections + " idle connections",
								server.kind().label(), round, scenarios.capacity(server.webSocket(), server::usedHeap,
										protocol(server.kind()), connections, settings.capacitySettle()))));
					}
				}
			}
			return results;
		}
		finally {
			servers.forEach(ServerProcess::close);
			if (scaleOut != null) {
				scaleOut.close();
			}
		}
	}

	/** Every stack's servers in their order, then the client's ceiling. */
	private static List<ServerProcess> roundTrippers(Map<Stack, List<ServerProcess>> stacks, ServerProcess ceiling) {
		List<ServerProcess> roundTrippers = new ArrayList<>();
		stacks.values().forEach(roundTrippers::addAll);
		roundTrippers.add(ceiling);
		return roundTrippers;
	}

	/**
	 * Each stack's servers in the order of one round: the first round in the order of
	 * {@link Stack#servers()}, each later one starting one further along, so that over as
	 * many rounds as a stack has servers each server takes each place once. In the same
	 * order every round, a difference between neighbours could be their places as well as
	 * their code.
	 * @param stacks the servers of each stack
	 * @param round the round, from 1
	 * @return the servers of each stack in turn
	 */
	static <T> Map<Stack, List<T>> inTurn(Map<Stack, List<T>> stacks, int round) {
		Map<Stack, List<T>> inTurn = new EnumMap<>(Stack.class);
		stacks.forEach((stack, group) -> {
			List<T> rotated = new ArrayList<>(group);
			Collections.rotate(rotated, -((round - 1) % group.size()));
			inTurn.put(stack, rotated);
		});
		return inTurn;
	}

	/**
	 * The servers of one pass of a round: in the round's order in odd passes, reversed in
	 * even ones, so that a server that ran first after the round's other scenarios runs
	 * last in the next pass.
	 * @param servers the servers in the round's order
	 * @param pass the pass, from 1
	 * @return the servers in the pass's order
	 */
	static <T> List<T> inPass(List<T> servers, int pass) {
		if (pass % 2 == 1) {
			return servers;
		}
		List<T> reversed = new ArrayList<>(servers);
		Collections.reverse(reversed);
		return reversed;
	}

	/**
	 * Runs each server through its paths once, unrecorded, so that the rounds compare
	 * compiled code rather than whichever server the JIT reached first: the round trip,
	 * and a fan-out at each number of subscribers (the C2 compiler was still busy in the
	 * measured 10,000-subscriber rows when only the smaller fan-out warmed up).
	 */
	private static void warmUp(Scenarios scenarios, Duration run, Settings settings, List<ServerProcess> roundTrippers,
			List<ServerProcess> stackServers) {
		System.out.printf("%tT Warming up every server (not recorded)%n", System.currentTimeMillis());
		for (ServerProcess server : roundTrippers) {
			scenarios.roundTrip(server.webSocket(), protocol(server.kind()), settings.connections(), 8, Duration.ZERO,
					run, server::usage);
		}
		for (ServerProcess server : stackServers) {
			for (int subscribers : settings.subscribers()) {
				scenarios.fanOut(server.webSocket(), protocol(server.kind()), subscribers, 1, run, 2, server::usage,
						server::usedHeap);
			}
		}
	}

	private static Protocol protocol(ServerKind kind) {
		return (kind == ServerKind.STOMP) ? Protocol.STOMP : Protocol.JSON;
	}

	private static Result print(Result result) {
		StringBuilder line = new StringBuilder();
		line.append(String.format("%tT round %d  %-10s %-18s %-16s", System.currentTimeMillis(), result.round(),
				result.scenario(), result.variant(), result.server()));
		for (Map.Entry<String, Double> figure : result.figures().entrySet()) {
			line.append(String.format("  %s=%.3f", figure.getKey(), figure.getValue()));
		}
		System.out.println(line);
		return result;
	}

}
