package io.pikku.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.pikku.bench.client.Peer;
import io.pikku.bench.client.Protocol;
import io.pikku.bench.client.TextFrame;
import io.pikku.bench.client.WsClient;
import io.pikku.bench.server.ServerKind;
import io.pikku.test.EmbeddedRedis;
import io.pikku.test.EmbeddedRedisCluster;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scale-out: two instances of a server on one Redis, a publisher on the first (one
 * connection, at a fixed rate), subscribers on the second. Pikku on both stacks, the bare
 * relay (one Lettuce {@code PUBLISH} per message) beside them, and Pikku on a 3-master
 * Redis Cluster (sharded pub/sub). For each load it measures the latency from a publish
 * frame to each delivery, what arrived, whether each subscriber saw the publisher's
 * messages in order and once, and the CPU time of each instance per relayed message.
 *
 * <p>
 * Run alone with
 * {@code java -cp ... io.pikku.bench.ScaleOut [--smoke] [--rounds=N] [--servers=a,b] [--loads=10x1000,1x10000] [--measure=10s] [--long=60s] [--jfr]},
 * or as part of {@link BenchmarkSuite}.
 */
final class ScaleOut implements AutoCloseable {

	static final String SCENARIO = "scale-out";

	/** What the variant of a load that runs on one instance adds to its name. */
	static final String ONE_INSTANCE = ", one instance";

	private static final Duration SETTLE = Duration.ofMillis(300);

	/** The load of one check, after the warm-up, whether the compilers are quiet. */
	private static final Duration QUIET_SLICE = Duration.ofSeconds(1);

	private final Plan plan;

	private final List<Pair> pairs;

	private final List<AutoCloseable> resources;

	private ScaleOut(Plan plan, List<Pair> pairs, List<AutoCloseable> resources) {
		this.plan = plan;
		this.pairs = pairs;
		this.resources = resources;
	}

	/**
	 * How long and how big the scale-out runs are.
	 *
	 * @param loads the loads, each run against every pair
	 * @param warmup the unmeasured lead-in of each run
	 * @param serverWarmup how long each pair runs each load, unmeasured, before the first
	 * round: long enough that the JIT has compiled the relay's paths (after a few
	 * seconds, C2 still took a third of the publishing JVM's CPU in round 1)
	 * @param compilerQuietLimit how much longer, at most, each pair runs each load after
	 * that, until neither instance's JIT compiler is busy (zero: no wait)
	 * @param measure how long a run is measured
	 * @param longMeasure how long the runs of a {@linkplain Load#long_ long} load are
	 * measured
	 * @param heap each server's heap
	 * @param servers which pairs to start, by label (all if empty)
	 */
	record Plan(List<Load> loads, Duration warmup, Duration serverWarmup, Duration compilerQuietLimit, Duration measure,
			Duration longMeasure, String heap, Set<String> servers) {

		static Plan full() {
			return new Plan(
					List.of(new Load(10, 1_000, false, false), new Load(1, 10_000, true, false),
							new Load(1_000, 100, false, true)),
					Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
					Duration.ofSeconds(60), "1g", Set.of());
		}

		static Plan smoke() {
			return new Plan(
					List.of(new Load(10, 1_000, false, false), new Load(1, 10_000, true, false),
							new Load(50, 100, false, true)),
					// Proving that the relay runs needs no compiled code: no wait for the
					// compilers.
					Duration.ofMillis(200), Duration.ofMillis(200), Duration.ZERO, Duration.ofMillis(500),
					Duration.ofMillis(500), "256m", Set.of());
		}

		/**
		 * The plan of a run of the suite: full or smoke, with its heap.
		 * @param settings the suite's settings
		 * @return the plan
		 */
		static Plan of(Settings settings) {
			Plan plan = settings.name().equals("smoke") ? smoke() : full();
			return new Plan(plan.loads, plan.warmup, plan.serverWarmup, plan.compilerQuietLimit, plan.measure,
					plan.longMeasure, settings.serverHeap(), plan.servers);
		}

		Plan with(List<Load> loads, Duration measure, Duration longMeasure, Set<String> servers) {
			return new Plan(loads, this.warmup, this.serverWarmup, this.compilerQuietLimit, measure, longMeasure,
					this.heap, servers);
		}

		boolean runs(String label) {
			return this.servers.isEmpty() || this.servers.contains(label);
		}

	}

	/**
	 * One load.
	 *
	 * @param subscribers subscribers on the receiving instance
	 * @param perSecond publishes per second
	 * @param long_ whether it runs for {@link Plan#longMeasure()}
	 * @param alsoOnOneInstance whether it also runs with publisher and subscribers on one
	 * instance, for comparison
	 */
	record Load(int subscribers, int perSecond, boolean long_, boolean alsoOnOneInstance) {

		String variant() {
			return this.subscribers + " x " + this.perSecond + " msg/s";
		}

		static Load parse(String text) {
			String[] parts = text.split("x");
			return new Load(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), false, false);
		}

	}

	/**
	 * Two instances of one server kind.
	 *
	 * @param label the name in reports
	 * @param stack {@code servlet} or {@code reactive}
	 * @param cluster whether they share a Redis Cluster
	 * @param a the publishing instance
	 * @param b the receiving instance
	 */
	record Pair(String label, String stack, boolean cluster, ServerProcess a, ServerProcess b) {
	}

	/**
	 * Starts Redis, a Redis Cluster and a pair of instances for each server kind, a pair
	 * at a time.
	 * @param plan the plan
	 * @param logs where the servers' output goes
	 * @return the running servers
	 */
	static ScaleOut start(Plan plan, Path logs) throws IOException {
		List<AutoCloseable> resources = new ArrayList<>();
		List<Pair> pairs = new ArrayList<>();
		try {
			EmbeddedRedis redis = EmbeddedRedis.start();
			resources.add(redis);
			String[] standalone = { "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port() };
			startPair(plan, logs, pairs, resources, ServerKind.PIKKU_REDIS.label(), "servlet", false,
					ServerKind.PIKKU_REDIS, standalone);
			startPair(plan, logs, pairs, resources, ServerKind.PIKKU_REDIS_REACTIVE.label(), "reactive", false,
					ServerKind.PIKKU_REDIS_REACTIVE, standalone);
			startPair(plan, logs, pairs, resources, ServerKind.REDIS_RELAY.label(), "reactive", false,
					ServerKind.REDIS_RELAY, standalone);
			if (plan.runs(clusterLabel(ServerKind.PIKKU_REDIS))
					|| plan.runs(clusterLabel(ServerKind.PIKKU_REDIS_REACTIVE))) {
				EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 0);
				resources.add(cluster);
				String[] clustered = { "--spring.data.redis.cluster.nodes=" + cluster.nodesProperty() };
				startPair(plan, logs, pairs, resources, clusterLabel(ServerKind.PIKKU_REDIS), "servlet", true,
						ServerKind.PIKKU_REDIS, clustered);
				startPair(plan, logs, pairs, resources, clusterLabel(ServerKind.PIKKU_REDIS_REACTIVE), "reactive", true,
						ServerKind.PIKKU_REDIS_REACTIVE, clustered);
			}
			return new ScaleOut(plan, pairs, resources);
		}
		catch (IOException | RuntimeException ex) {
			close(resources);
			throw ex;
		}
	}

	private static String clusterLabel(ServerKind kind) {
		return kind.label() + " Cluster";
	}

	private static void startPair(Plan plan, Path logs, List<Pair> pairs, List<AutoCloseable> resources, String label,
			String stack, boolean cluster, ServerKind kind, String... arguments) throws IOException {
		if (!plan.runs(label)) {
			return;
		}
		ServerProcess a = ServerProcess.start(kind, plan.heap(), logs, arguments);
		resources.add(0, a);
		ServerProcess b = ServerProcess.start(kind, plan.heap(), logs, arguments);
		resources.add(0, b);
		// A pair at a time: ten JVMs starting at once on a small machine can take longer
		// than a server may take to start.
		try {
			a.awaitReady();
			b.awaitReady();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		pairs.add(new Pair(label, stack, cluster, a, b));
	}

	/**
	 * Runs every load once against every pair, unrecorded, so that the rounds compare
	 * compiled code.
	 * @param client the load client
	 */
	void warmUp(WsClient client) {
		for (Pair pair : this.pairs) {
			for (Load load : this.plan.loads()) {
				relay(client, pair.a(), pair.b(), load.subscribers(), load.perSecond(), Duration.ZERO,
						this.plan.serverWarmup());
				// Then on, a slice at a time, until neither instance's JIT compiler is
				// busy: measured right after a fixed warm-up, the first round's instances
				// took up to 1.7 times the CPU per publish of later rounds.
				long quietAfter = Scenarios.untilCompilerQuiet(
						() -> compilerNanos(pair.a(), pair.b()), () -> relay(client, pair.a(), pair.b(),
								load.subscribers(), load.perSecond(), Duration.ZERO, QUIET_SLICE),
						this.plan.compilerQuietLimit());
				System.out.printf("%tT scale-out warm-up: %s, %s: compilers quiet after %d ms more%n",
						System.currentTimeMillis(), pair.label(), load.variant(), quietAfter);
			}
		}
	}

	private static long compilerNanos(ServerProcess a, ServerProcess b) {
		long first = a.usage().compilerNanos();
		long second = b.usage().compilerNanos();
		return (first < 0 || second < 0) ? -1 : first + second;
	}

	/**
	 * Runs every load against every pair once.
	 * @param client the load client
	 * @param round the round's number
	 * @return the results
	 */
	List<Result> round(WsClient client, int round) {
		List<Result> results = new ArrayList<>();
		for (Load load : this.plan.loads()) {
			Duration measure = load.long_() ? this.plan.longMeasure() : this.plan.measure();
			for (Pair pair : this.pairs) {
				results.add(print(new Result(pair.stack(), SCENARIO, load.variant(), pair.label(), round, relay(client,
						pair.a(), pair.b(), load.subscribers(), load.perSecond(), this.plan.warmup(), measure))));
				if (load.alsoOnOneInstance() && !pair.cluster()) {
					results.add(print(new Result(pair.stack(), SCENARIO, load.variant() + ONE_INSTANCE, pair.label(),
							round, relay(client, pair.a(), pair.a(), load.subscribers(), load.perSecond(),
									this.plan.warmup(), measure))));
				}
			}
		}
		return results;
	}

	private static final AtomicInteger runs = new AtomicInteger();

	/**
	 * One publisher connection on one instance at a fixed rate, subscribers on another
	 * (or the same) instance.
	 * @return {@code sentPerSecond}, {@code delivered} (fraction), {@code outOfOrder} and
	 * {@code duplicates} (deliveries that came before, or again after, one sent later),
	 * {@code p50Ms}, {@code p99Ms}, {@code p999Ms}, {@code maxMs},
	 * {@code lastDeliveryAfterMs}, {@code publisherCpuUsPerMessage},
	 * {@code receiverCpuUsPerMessage} (each instance's CPU time, all threads, per message
	 * published while measured)
	 */
	static Map<String, Double> relay(WsClient client, ServerProcess publishing, ServerProcess receiving,
			int subscribers, int perSecond, Duration warmup, Duration measure) {
		// A topic of its own per run: nothing late from a run reaches the next.
		String topic = "relay-" + runs.incrementAndGet();
		List<Peer> audience = Peer.open(client, receiving.webSocket(), Protocol.JSON, subscribers);
		Peer publisher = Peer.open(client, publishing.webSocket(), Protocol.JSON, 1).get(0);
		try {
			Scenarios.subscribe(audience, Protocol.JSON, topic);
			awaitCrossing(publisher, audience, topic);
			int warmupCount = (int) (perSecond * warmup.toMillis() / 1000);
			int total = warmupCount + Math.max(1, (int) (perSecond * measure.toMillis() / 1000));
			AtomicLongArray sentAt = new AtomicLongArray(total + 1);
			Recorder latencies = new Recorder(3);
			AtomicLong delivered = new AtomicLong();
			AtomicLong outOfOrder = new AtomicLong();
			AtomicLong duplicates = new AtomicLong();
			AtomicLong lastArrival = new AtomicLong();
			for (Peer peer : audience) {
				long[] last = { 0 };
				peer.handle((self, buffer, index, length, now) -> {
					long seq = Protocol.seq(buffer, index, length);
					if (seq <= 0 || seq > total) {
						return;
					}
					if (seq == last[0]) {
						duplicates.incrementAndGet();
						return;
					}
					if (seq < last[0]) {
						outOfOrder.incrementAndGet();
					}
					last[0] = Math.max(last[0], seq);
					if (seq > warmupCount) {
						latencies.recordValue(Math.max(0, now - sentAt.get((int) seq)));
						delivered.incrementAndGet();
						lastArrival.accumulateAndGet(now, Math::max);
					}
				});
			}
			TextFrame[] frames = new TextFrame[total + 1];
			for (int seq = 1; seq <= total; seq++) {
				frames[seq] = Protocol.JSON.publish(topic, seq);
			}
			long[] cpu = new long[4];
			long measuredFrom = Scenarios.publishPaced(total, perSecond, warmupCount, sentAt, () -> {
				cpu[0] = publishing.usage().cpuNanos();
				cpu[1] = receiving.usage().cpuNanos();
			}, (seq) -> publisher.send(frames[seq]));
			cpu[2] = publishing.usage().cpuNanos();
			cpu[3] = receiving.usage().cpuNanos();
			long lastPublish = sentAt.get(total);
			long expected = (long) subscribers * (total - warmupCount);
			long deadline = lastPublish + Math.max(TimeUnit.SECONDS.toNanos(10), measure.toNanos());
			while (delivered.get() < expected && System.nanoTime() < deadline) {
				Scenarios.sleep(Duration.ofMillis(10));
			}
			long gaveUp = System.nanoTime();
			Histogram histogram = latencies.getIntervalHistogram();
			int measured = total - warmupCount;
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("sentPerSecond", (measured - 1) / Math.max(1e-9, (lastPublish - measuredFrom) / 1e9));
			figures.put("delivered", delivered.get() / (double) expected);
			figures.put("outOfOrder", (double) outOfOrder.get());
			figures.put("duplicates", (double) duplicates.get());
			figures.put("p50Ms", histogram.getValueAtPercentile(50) / 1e6);
			figures.put("p99Ms", histogram.getValueAtPercentile(99) / 1e6);
			figures.put("p999Ms", histogram.getValueAtPercentile(99.9) / 1e6);
			figures.put("maxMs", histogram.getMaxValue() / 1e6);
			long last = (delivered.get() >= expected) ? lastArrival.get() : gaveUp;
			figures.put("lastDeliveryAfterMs", (last - lastPublish) / 1e6);
			figures.put("publisherCpuUsPerMessage", (cpu[2] - cpu[0]) / 1e3 / measured);
			if (receiving != publishing) {
				figures.put("receiverCpuUsPerMessage", (cpu[3] - cpu[1]) / 1e3 / measured);
			}
			return figures;
		}
		finally {
			publisher.close();
			audience.forEach(Peer::close);
			Scenarios.sleep(SETTLE);
		}
	}

	/** Publishes until one publish reaches every subscriber (numbered below zero). */
	private static void awaitCrossing(Peer publisher, List<Peer> audience, String topic) {
		AtomicLong probe = new AtomicLong(Long.MIN_VALUE);
		CountDownLatch[] reached = { new CountDownLatch(audience.size()) };
		for (Peer peer : audience) {
			peer.handle((self, buffer, index, length, receivedAt) -> {
				if (Protocol.seq(buffer, index, length) == probe.get()) {
					reached[0].countDown();
				}
			});
		}
		for (int attempt = 1; attempt <= 50; attempt++) {
			reached[0] = new CountDownLatch(audience.size());
			probe.set(-attempt);
			publisher.send(Protocol.JSON.publish(topic, -attempt));
			try {
				if (reached[0].await(200, TimeUnit.MILLISECONDS)) {
					Scenarios.sleep(SETTLE);
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException("Some of the " + audience.size() + " subscribers never got a publish");
	}

	private static Result print(Result result) {
		StringBuilder line = new StringBuilder(String.format("round %d  %-8s %-22s %-30s", result.round(),
				result.stack(), result.variant(), result.server()));
		result.figures().forEach((name, value) -> line.append(String.format("  %s=%.3f", name, value)));
		System.out.println(line);
		return result;
	}

	@Override
	public void close() {
		close(this.resources);
	}

	private static void close(List<AutoCloseable> resources) {
		for (AutoCloseable resource : resources) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				System.err.println("Could not stop " + resource + ": " + ex);
			}
		}
	}

	public static void main(String[] args) throws Exception {
		Plan plan = Plan.full();
		int rounds = 1;
		List<Load> loads = null;
		Duration measure = null;
		Duration longMeasure = null;
		Set<String> servers = Set.of();
		for (String arg : args) {
			if (arg.equals("--smoke")) {
				plan = Plan.smoke();
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(arg.substring("--rounds=".length()));
			}
			else if (arg.startsWith("--loads=")) {
				loads = java.util.Arrays.stream(arg.substring("--loads=".length()).split(","))
					.map(Load::parse)
					.toList();
			}
			else if (arg.startsWith("--measure=")) {
				measure = Duration.parse("PT" + arg.substring("--measure=".length()));
			}
			else if (arg.startsWith("--long=")) {
				longMeasure = Duration.parse("PT" + arg.substring("--long=".length()));
			}
			else if (arg.startsWith("--servers=")) {
				servers = Set.of(arg.substring("--servers=".length()).split(","));
			}
			else if (arg.equals("--jfr")) {
				ServerProcess.recordFlights = true;
			}
			else {
				throw new IllegalArgumentException("Unknown argument: " + arg);
			}
		}
		plan = plan.with((loads != null) ? loads : plan.loads(), (measure != null) ? measure : plan.measure(),
				(longMeasure != null) ? longMeasure : plan.longMeasure(), servers);
		try (ScaleOut scaleOut = start(plan, Path.of("target/bench-logs")); WsClient client = new WsClient(2)) {
			scaleOut.warmUp(client);
			for (int round = 1; round <= rounds; round++) {
				scaleOut.round(client, round);
			}
		}
	}

}
