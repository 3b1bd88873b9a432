package io.pikku.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pikku.bench.client.Peer;
import io.pikku.bench.client.Protocol;
import io.pikku.bench.client.RoundTrip;
import io.pikku.bench.client.TextFrame;
import io.pikku.bench.client.WsClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The measurements, each against one running server, each answering named figures.
 * Latencies are taken in the client from the moment a frame is handed to its connection
 * to the moment the read that brought the answer returned. CPU is counted for the
 * server's JVM and for the load client's (this JVM) over the measured time.
 */
final class Scenarios {

	private static final String TOPIC = "bench";

	private static final Duration SETTLE = Duration.ofMillis(300);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** How long each look at the server's JIT compiler lasts while waiting for it. */
	private static final Duration COMPILER_SLICE = Duration.ofMillis(500);

	/**
	 * The compiler time in a slice under which the compiler counts as quiet: one tick of
	 * {@code /proc} (10 ms), 2% of a core.
	 */
	private static final long COMPILER_QUIET_NANOS = Duration.ofMillis(10).toNanos();

	private final WsClient client;

	private final int checkEvery;

	private final Duration compilerQuietLimit;

	/**
	 * @param client the load client
	 * @param checkEvery round trips check one reply in this many (a power of two)
	 * @param compilerQuietLimit how much longer a run may go on unrecorded after its
	 * warm-up until the server's JIT compiler is quiet
	 */
	Scenarios(WsClient client, int checkEvery, Duration compilerQuietLimit) {
		this.client = client;
		this.checkEvery = checkEvery;
		this.compilerQuietLimit = compilerQuietLimit;
	}

	/**
	 * Closed-loop calls: each connection keeps {@code depth} echo calls in flight.
	 * @return {@code callsPerSecond}, {@code p50Ms}, {@code p99Ms}, {@code p999Ms},
	 * {@code serverCpuUsPerCall} (the server's CPU time per call, all threads),
	 * {@code clientCpuUsPerCall} (the load client's), {@code serverWritesPerCall} and
	 * {@code clientWritesPerCall} (write system calls per call),
	 * {@code serverJitUsPerCall} (the server's JIT compiler threads' CPU time per call),
	 * {@code compilerQuietAfterMs} (how long the run went on after its warm-up until the
	 * server's compiler was quiet), {@code othersCpuPercent} (what the rest of the
	 * machine took meanwhile), {@code wrongReplies} (among the checked ones)
	 */
	Map<String, Double> roundTrip(URI uri, Protocol protocol, int connections, int depth, Duration warmup,
			Duration measure, Supplier<Usage> server) {
		List<Peer> peers = Peer.open(this.client, uri, protocol, connections);
		try {
			RoundTrip calls = new RoundTrip(protocol, prepareEcho(peers, protocol), this.checkEvery);
			calls.start(peers, depth);
			sleep(warmup);
			long quietAfter = untilCompilerQuiet(server, () -> sleep(COMPILER_SLICE));
			calls.interval();
			Usage serverBefore = server.get();
			Usage clientBefore = Usage.ofThisProcess();
			long machineBefore = Usage.machineBusyNanos();
			long started = System.nanoTime();
			sleep(measure);
			Histogram histogram = calls.interval();
			long elapsed = System.nanoTime() - started;
			Usage serverAfter = server.get();
			Usage clientAfter = Usage.ofThisProcess();
			long machineAfter = Usage.machineBusyNanos();
			calls.stop();
			sleep(SETTLE);
			long count = histogram.getTotalCount();
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("callsPerSecond", count / seconds(elapsed));
			putLatencies(figures, histogram);
			figures.put("serverCpuUsPerCall", serverAfter.cpuMicrosPer(serverBefore, count));
			figures.put("clientCpuUsPerCall", clientAfter.cpuMicrosPer(clientBefore, count));
			figures.put("serverWritesPerCall", serverAfter.writesPer(serverBefore, count));
			figures.put("clientWritesPerCall", clientAfter.writesPer(clientBefore, count));
			figures.put("serverJitUsPerCall", serverAfter.compilerMicrosPer(serverBefore, count));
			figures.put("compilerQuietAfterMs", (double) quietAfter);
			figures.put("othersCpuPercent",
					othersCpuPercent(machineBefore, machineAfter, (serverAfter.cpuNanos() - serverBefore.cpuNanos())
							+ (clientAfter.cpuNanos() - clientBefore.cpuNanos()), elapsed));
			figures.put("wrongReplies", (double) calls.wrongReplies());
			return figures;
		}
		finally {
			peers.forEach(Peer::close);
		}
	}

	/**
	 * One echo call on one connection, checked in full.
	 * @param uri the server's WebSocket URI
	 * @param protocol what it speaks
	 */
	void echo(URI uri, Protocol protocol) {
		List<Peer> peers = Peer.open(this.client, uri, protocol, 1);
		try {
			prepareEcho(peers, protocol);
		}
		finally {
			peers.forEach(Peer::close);
		}
	}

	/**
	 * Subscribes every connection to its echo replies (STOMP) and checks one call each in
	 * full: a JSON reply with the action {@code echo} and the text sent, the same on
	 * every connection.
	 * @return the body of that reply, which every later reply must repeat
	 */
	private static byte[] prepareEcho(List<Peer> peers, Protocol protocol) {
		TextFrame subscription = protocol.echoSubscription();
		if (subscription != null) {
			peers.forEach((peer) -> peer.send(subscription));
			sleep(SETTLE);
		}
		Set<String> bodies = new HashSet<>();
		for (String reply : replies(peers, protocol.echo(), Duration.ofSeconds(10))) {
			byte[] message = reply.getBytes(StandardCharsets.UTF_8);
			ByteBuf buffer = Unpooled.wrappedBuffer(message);
			int start = protocol.bodyStart(buffer, 0, message.length);
			String body = (start < 0) ? "" : new String(message, start,
					protocol.bodyEnd(buffer, 0, message.length) - start, StandardCharsets.UTF_8);
			JsonNode json;
			try {
				json = JSON.readTree(body);
			}
			catch (JacksonException ex) {
				throw new IllegalStateException("Expected a JSON echo reply, got: " + reply, ex);
			}
			if (!"echo".equals(json.path("action").asString(null))
					|| !Protocol.TEXT.equals(json.path("text").asString(null)) || json.size() != 2) {
				throw new IllegalStateException(
						"Expected {\"action\":\"echo\",\"text\":\"" + Protocol.TEXT + "\"}, got: " + reply);
			}
			bodies.add(body);
		}
		if (bodies.size() != 1) {
			throw new IllegalStateException("The connections got different echo replies: " + bodies);
		}
		return bodies.iterator().next().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * One publisher, many subscribers: each publish waits until every subscriber has it.
	 * Measured after a warm-up, once the server's compiler is quiet and after a full
	 * collection.
	 * @param fullCollection runs a full collection in the server
	 * @return {@code deliveriesPerSecond}, {@code p50Ms}, {@code p99Ms}, {@code p999Ms},
	 * {@code publishes}, {@code serverCpuUsPerDelivery}, {@code serverJitUsPerDelivery},
	 * {@code serverWritesPerDelivery}, {@code clientCpuUsPerDelivery},
	 * {@code compilerQuietAfterMs}, {@code othersCpuPercent} (what the rest of the
	 * machine took meanwhile)
	 */
	Map<String, Double> fanOut(URI uri, Protocol protocol, int subscribers, int warmupPublishes, Duration measure,
			int minPublishes, Supplier<Usage> server, Runnable fullCollection) {
		List<Peer> peers = Peer.open(this.client, uri, protocol, subscribers + 1);
		Peer publisher = peers.get(subscribers);
		List<Peer> audience = peers.subList(0, subscribers);
		try {
			subscribe(audience, protocol, TOPIC);
			AtomicLong current = new AtomicLong(-1);
			AtomicLong publishedAt = new AtomicLong();
			CountDownLatch[] remaining = { new CountDownLatch(0) };
			Recorder latencies = new Recorder(3);
			for (Peer peer : audience) {
				peer.handle((self, buffer, index, length, receivedAt) -> {
					if (Protocol.seq(buffer, index, length) == current.get()) {
						latencies.recordValue(Math.max(0, receivedAt - publishedAt.get()));
						remaining[0].countDown();
					}
				});
			}
			long seq = 0;
			// Until one publish reaches every subscriber: subscriptions may settle late.
			boolean everyone = false;
			for (int attempt = 0; attempt < 20 && !everyone; attempt++) {
				everyone = publish(publisher, protocol, ++seq, subscribers, current, publishedAt, remaining,
						Duration.ofSeconds(2));
			}
			if (!everyone) {
				throw new IllegalStateException("Some of the " + subscribers + " subscribers never got a publish");
			}
			long[] next = { seq };
			Runnable publishOnce = () -> requireAll(publish(publisher, protocol, ++next[0], subscribers, current,
					publishedAt, remaining, Duration.ofSeconds(30)), subscribers);
			for (int i = 0; i < warmupPublishes; i++) {
				publishOnce.run();
			}
			long quietAfter = untilCompilerQuiet(server, () -> {
				long sliceEnd = System.nanoTime() + COMPILER_SLICE.toNanos();
				while (System.nanoTime() < sliceEnd) {
					publishOnce.run();
				}
			});
			// The subscribers' connections are seconds old: move them to the old
			// generation, where a long-running server keeps its connections, rather
			// than let a young collection promote them in one server's measured window
			// and not another's (each delivery then stores into old objects, which the
			// collector tracks: up to a third more CPU per delivery at 10,000).
			fullCollection.run();
			for (int i = 0; i < warmupPublishes; i++) {
				publishOnce.run();
			}
			latencies.reset();
			Usage serverBefore = server.get();
			Usage clientBefore = Usage.ofThisProcess();
			long machineBefore = Usage.machineBusyNanos();
			long measuredFrom = System.nanoTime();
			long busy = 0;
			int publishes = 0;
			long deadline = measuredFrom + measure.toNanos();
			while (publishes < minPublishes || System.nanoTime() < deadline) {
				long started = System.nanoTime();
				publishOnce.run();
				busy += System.nanoTime() - started;
				publishes++;
			}
			Histogram histogram = latencies.getIntervalHistogram();
			long elapsed = System.nanoTime() - measuredFrom;
			Usage serverAfter = server.get();
			Usage clientAfter = Usage.ofThisProcess();
			long machineAfter = Usage.machineBusyNanos();
			long deliveries = histogram.getTotalCount();
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("deliveriesPerSecond", deliveries / seconds(busy));
			putLatencies(figures, histogram);
			figures.put("publishes", (double) publishes);
			figures.put("serverCpuUsPerDelivery", serverAfter.cpuMicrosPer(serverBefore, deliveries));
			figures.put("serverJitUsPerDelivery", serverAfter.compilerMicrosPer(serverBefore, deliveries));
			figures.put("serverWritesPerDelivery", serverAfter.writesPer(serverBefore, deliveries));
			figures.put("clientCpuUsPerDelivery", clientAfter.cpuMicrosPer(clientBefore, deliveries));
			figures.put("compilerQuietAfterMs", (double) quietAfter);
			figures.put("othersCpuPercent",
					othersCpuPercent(machineBefore, machineAfter, (serverAfter.cpuNanos() - serverBefore.cpuNanos())
							+ (clientAfter.cpuNanos() - clientBefore.cpuNanos()), elapsed));
			return figures;
		}
		finally {
			peers.forEach(Peer::close);
		}
	}

	/**
	 * The CPU the rest of the machine took over a measured window, in percent of one
	 * core: the busy time of every core less the server's and the client's. Anything well
	 * above zero (another server still compiling, a collector, a process outside the
	 * benchmark) took from the two measured.
	 * @param machineBefore the machine's busy time before the window, or -1 if not known
	 * @param machineAfter the machine's busy time after it
	 * @param measuredNanos the server's and the client's CPU time in the window
	 * @param elapsedNanos the window's length
	 * @return the percent, or NaN if not known
	 */
	static double othersCpuPercent(long machineBefore, long machineAfter, long measuredNanos, long elapsedNanos) {
		if (machineBefore < 0 || machineAfter < 0) {
			return Double.NaN;
		}
		return 100.0 * (machineAfter - machineBefore - measuredNanos) / Math.max(1, elapsedNanos);
	}

	/**
	 * Goes on with a run's unrecorded load, a slice at a time, until a slice in which the
	 * server's JIT compiler threads took at most {@link #COMPILER_QUIET_NANOS}, or until
	 * the limit: opening a scenario's connections (a thousand upgrades before a fan-out)
	 * queues compilations that would otherwise run in the measured window and weigh on
	 * whichever server was compiled last.
	 * @param server the server's usage
	 * @param slice about {@link #COMPILER_SLICE} of the run's load
	 * @return how long it went on, in milliseconds
	 */
	private long untilCompilerQuiet(Supplier<Usage> server, Runnable slice) {
		return untilCompilerQuiet(() -> server.get().compilerNanos(), slice, this.compilerQuietLimit);
	}

	/**
	 * Goes on a slice at a time until the compiler time of a slice is at most
	 * {@link #COMPILER_QUIET_NANOS}, or until the limit.
	 * @param compilerNanos the compiler threads' CPU time so far, or -1 if not known
	 * @param slice a slice of the load
	 * @param quietLimit how long it may go on
	 * @return how long it went on, in milliseconds
	 */
	static long untilCompilerQuiet(LongSupplier compilerNanos, Runnable slice, Duration quietLimit) {
		long started = System.nanoTime();
		long limit = started + quietLimit.toNanos();
		long before = compilerNanos.getAsLong();
		while (before >= 0 && System.nanoTime() < limit) {
			slice.run();
			long after = compilerNanos.getAsLong();
			if (after - before <= COMPILER_QUIET_NANOS) {
				break;
			}
			before = after;
		}
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
	}

	/**
	 * One publisher at a fixed rate, many subscribers: does the server keep up? Each
	 * subscriber should get every message; latency from the publish frame to each
	 * delivery, and how long after the last publish its last delivery arrives.
	 * @return {@code sentPerSecond}, {@code deliveriesPerSecond}, {@code delivered}
	 * (fraction), {@code p50Ms}, {@code p99Ms}, {@code p999Ms}, {@code maxMs},
	 * {@code lastDeliveryAfterMs} (from the last publish to the last delivery; if some
	 * never arrive, until the wait gave up), {@code serverCpuUsPerDelivery} and
	 * {@code clientCpuUsPerDelivery} (over the warm-up too)
	 */
	Map<String, Double> pacedFanOut(URI uri, Protocol protocol, int subscribers, int perSecond, Duration warmup,
			Duration measure, Supplier<Usage> server) {
		List<Peer> peers = Peer.open(this.client, uri, protocol, subscribers + 1);
		Peer publisher = peers.get(subscribers);
		List<Peer> audience = peers.subList(0, subscribers);
		try {
			subscribe(audience, protocol, TOPIC);
			// Until one publish reaches every subscriber (numbered below zero,
			// unmeasured).
			AtomicLong probe = new AtomicLong(Long.MIN_VALUE);
			CountDownLatch[] reached = { new CountDownLatch(subscribers) };
			for (Peer peer : audience) {
				peer.handle((self, buffer, index, length, receivedAt) -> {
					if (Protocol.seq(buffer, index, length) == probe.get()) {
						reached[0].countDown();
					}
				});
			}
			boolean everyone = false;
			for (int attempt = 1; attempt <= 20 && !everyone; attempt++) {
				reached[0] = new CountDownLatch(subscribers);
				probe.set(-attempt);
				publisher.send(protocol.publish(TOPIC, -attempt));
				everyone = await(reached[0], Duration.ofSeconds(2));
			}
			if (!everyone) {
				throw new IllegalStateException("Some of the " + subscribers + " subscribers never got a publish");
			}
			int warmupCount = (int) (perSecond * warmup.toMillis() / 1000);
			int total = warmupCount + Math.max(1, (int) (perSecond * measure.toMillis() / 1000));
			AtomicLongArray sentAt = new AtomicLongArray(total + 1);
			Recorder latencies = new Recorder(3);
			AtomicLong delivered = new AtomicLong();
			AtomicLong deliveries = new AtomicLong();
			AtomicLong lastArrival = new AtomicLong();
			for (Peer peer : audience) {
				peer.handle((self, buffer, index, length, receivedAt) -> {
					long seq = Protocol.seq(buffer, index, length);
					if (seq > 0) {
						deliveries.incrementAndGet();
					}
					if (seq > warmupCount && seq <= total) {
						latencies.recordValue(Math.max(0, receivedAt - sentAt.get((int) seq)));
						delivered.incrementAndGet();
						lastArrival.accumulateAndGet(receivedAt, Math::max);
					}
				});
			}
			TextFrame[] frames = new TextFrame[total + 1];
			for (int seq = 1; seq <= total; seq++) {
				frames[seq] = protocol.publish(TOPIC, seq);
			}
			Usage serverBefore = server.get();
			Usage clientBefore = Usage.ofThisProcess();
			long measuredFrom = publishPaced(total, perSecond, warmupCount, sentAt, () -> {
			}, (seq) -> publisher.send(frames[seq]));
			long lastPublish = sentAt.get(total);
			long sendingTook = lastPublish - measuredFrom;
			long expected = (long) subscribers * (total - warmupCount);
			long deadline = lastPublish + Math.max(TimeUnit.SECONDS.toNanos(10), measure.toNanos());
			while (delivered.get() < expected && System.nanoTime() < deadline) {
				sleep(Duration.ofMillis(10));
			}
			long gaveUp = System.nanoTime();
			Usage serverAfter = server.get();
			Usage clientAfter = Usage.ofThisProcess();
			Histogram histogram = latencies.getIntervalHistogram();
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("sentPerSecond", (total - warmupCount - 1) / seconds(Math.max(1, sendingTook)));
			long deliveredCount = delivered.get();
			figures.put("deliveriesPerSecond",
					deliveredCount / seconds(Math.max(1, Math.max(lastArrival.get(), measuredFrom) - measuredFrom)));
			figures.put("delivered", deliveredCount / (double) expected);
			putLatencies(figures, histogram);
			figures.put("maxMs", histogram.getMaxValue() / 1e6);
			long last = (deliveredCount >= expected) ? lastArrival.get() : gaveUp;
			figures.put("lastDeliveryAfterMs", (last - lastPublish) / 1e6);
			figures.put("serverCpuUsPerDelivery", serverAfter.cpuMicrosPer(serverBefore, deliveries.get()));
			figures.put("clientCpuUsPerDelivery", clientAfter.cpuMicrosPer(clientBefore, deliveries.get()));
			return figures;
		}
		finally {
			peers.forEach(Peer::close);
		}
	}

	private static boolean await(CountDownLatch latch, Duration timeout) {
		try {
			return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean publish(Peer publisher, Protocol protocol, long seq, int subscribers, AtomicLong current,
			AtomicLong publishedAt, CountDownLatch[] remaining, Duration timeout) {
		CountDownLatch latch = new CountDownLatch(subscribers);
		remaining[0] = latch;
		TextFrame frame = protocol.publish(TOPIC, seq);
		publishedAt.set(System.nanoTime());
		current.set(seq);
		publisher.send(frame);
		try {
			return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void requireAll(boolean all, int subscribers) {
		if (!all) {
			throw new IllegalStateException("A publish did not reach all " + subscribers + " subscribers in time");
		}
	}

	/** Subscribes connections to a topic; with JSON, waits for every reply. */
	static void subscribe(List<Peer> peers, Protocol protocol, String topic) {
		TextFrame subscribe = protocol.subscribe(topic);
		if (protocol.connect() != null) {
			// STOMP answers no SUBSCRIBE; the first publish checks that they all took.
			peers.forEach((peer) -> peer.send(subscribe));
			sleep(SETTLE);
			return;
		}
		expectReplies(peers, subscribe, "\"subscribed\":true", Duration.ofSeconds(30));
	}

	/**
	 * Sends a frame on every connection and checks that each first answer holds a text.
	 */
	private static void expectReplies(List<Peer> peers, TextFrame frame, String expected, Duration timeout) {
		for (String text : replies(peers, frame, timeout)) {
			if (!text.contains(expected)) {
				throw new IllegalStateException("Expected a reply holding " + expected + ", got: " + text);
			}
		}
	}

	/** Sends a frame on every connection and waits for each first answer. */
	private static List<String> replies(List<Peer> peers, TextFrame frame, Duration timeout) {
		List<CompletableFuture<String>> replies = peers.stream().map((peer) -> {
			CompletableFuture<String> reply = new CompletableFuture<>();
			peer.handle((self, buffer, index, length, receivedAt) -> reply
				.complete(buffer.toString(index, length, StandardCharsets.UTF_8)));
			peer.send(frame);
			return reply;
		}).toList();
		return replies.stream()
			.map((reply) -> reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join())
			.toList();
	}

	/**
	 * Idle connections: the server's heap after a full collection, before and after (a
	 * {@code settle} after opening them; another after closing them, before the next
	 * run).
	 * @param usedHeap the server's heap after a full collection
	 * @return {@code bytesPerConnection}
	 */
	Map<String, Double> capacity(URI uri, LongSupplier usedHeap, Protocol protocol, int connections, Duration settle) {
		long before = usedHeap.getAsLong();
		List<Peer> peers = Peer.open(this.client, uri, protocol, connections);
		try {
			sleep(settle);
			long after = usedHeap.getAsLong();
			return Map.of("bytesPerConnection", (after - before) / (double) connections);
		}
		finally {
			peers.forEach(Peer::close);
			sleep(settle);
		}
	}

	private static void putLatencies(Map<String, Double> figures, Histogram histogram) {
		figures.put("p50Ms", histogram.getValueAtPercentile(50) / 1e6);
		figures.put("p99Ms", histogram.getValueAtPercentile(99) / 1e6);
		figures.put("p999Ms", histogram.getValueAtPercentile(99.9) / 1e6);
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Sends messages 1 to {@code total} at a steady rate, recording when each left.
	 * @param beforeMeasured runs once, just before the first measured message (after the
	 * warm-up ones) leaves
	 * @return when the first measured message left
	 */
	static long publishPaced(int total, int perSecond, int warmupCount, AtomicLongArray sentAt, Runnable beforeMeasured,
			java.util.function.IntConsumer send) {
		long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
		long started = System.nanoTime();
		long measuredFrom = 0;
		for (int seq = 1; seq <= total; seq++) {
			long due = started + seq * interval;
			long wait = due - System.nanoTime();
			if (wait > 20_000) {
				LockSupport.parkNanos(wait - 10_000);
			}
			while (System.nanoTime() < due) {
				Thread.onSpinWait();
			}
			if (seq == warmupCount + 1) {
				beforeMeasured.run();
				measuredFrom = System.nanoTime();
			}
			sentAt.set(seq, System.nanoTime());
			send.accept(seq);
		}
		return measuredFrom;
	}

}
