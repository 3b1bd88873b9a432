package io.pikku.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.pikku.bench.client.Peer;
import io.pikku.bench.client.Protocol;
import io.pikku.bench.client.WsClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The measurements, each against one running server, each answering named figures.
 * Latencies are taken in the client from the moment a frame is handed to its connection
 * to the moment the answer's bytes arrive.
 */
final class Scenarios {

	private static final String TOPIC = "bench";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Duration SETTLE = Duration.ofMillis(300);

	private final WsClient client;

	Scenarios(WsClient client) {
		this.client = client;
	}

	/**
	 * Closed-loop calls: each connection keeps {@code depth} echo calls in flight.
	 * @return {@code callsPerSecond}, {@code p50Ms}, {@code p99Ms}, {@code p999Ms},
	 * {@code serverCpuUsPerCall} (the server's CPU time per call, all threads)
	 */
	Map<String, Double> roundTrip(URI uri, Protocol protocol, int connections, int depth, Duration warmup,
			Duration measure, LongSupplier serverCpuNanos) {
		List<Peer> peers = Peer.open(this.client, uri, protocol, connections);
		try {
			prepareEcho(peers, protocol);
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicBoolean recording = new AtomicBoolean();
			Recorder latencies = new Recorder(3);
			byte[] echo = protocol.echo();
			for (Peer peer : peers) {
				ArrayDeque<Long> sent = new ArrayDeque<>();
				peer.handle((self, frame) -> {
					long now = System.nanoTime();
					Long start = sent.poll();
					if (start == null) {
						return;
					}
					if (recording.get()) {
						latencies.recordValue(now - start);
					}
					if (running.get()) {
						sent.add(System.nanoTime());
						self.send(echo);
					}
				});
				peer.execute(() -> {
					for (int i = 0; i < depth; i++) {
						sent.add(System.nanoTime());
						peer.send(echo);
					}
				});
			}
			sleep(warmup);
			latencies.reset();
			long cpuBefore = serverCpuNanos.getAsLong();
			recording.set(true);
			long started = System.nanoTime();
			sleep(measure);
			recording.set(false);
			Histogram histogram = latencies.getIntervalHistogram();
			long elapsed = System.nanoTime() - started;
			long cpu = serverCpuNanos.getAsLong() - cpuBefore;
			running.set(false);
			sleep(SETTLE);
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("callsPerSecond", histogram.getTotalCount() / seconds(elapsed));
			putLatencies(figures, histogram);
			figures.put("serverCpuUsPerCall", cpu / 1e3 / Math.max(1, histogram.getTotalCount()));
			return figures;
		}
		finally {
			peers.forEach(Peer::close);
		}
	}

	/**
	 * Subscribes every connection to its echo replies (STOMP) and checks one call each.
	 */
	private static void prepareEcho(List<Peer> peers, Protocol protocol) {
		byte[] subscription = protocol.echoSubscription();
		if (subscription != null) {
			peers.forEach((peer) -> peer.send(subscription));
			sleep(SETTLE);
		}
		expectReplies(peers, protocol.echo(), Protocol.TEXT, Duration.ofSeconds(10));
	}

	/**
	 * One publisher, many subscribers: each publish waits until every subscriber has it.
	 * @return {@code deliveriesPerSecond}, {@code p50Ms}, {@code p99Ms}, {@code p999Ms},
	 * {@code publishes}
	 */
	Map<String, Double> fanOut(URI uri, Protocol protocol, int subscribers, int warmupPublishes, Duration measure,
			int minPublishes) {
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
				peer.handle((self, frame) -> {
					long now = System.nanoTime();
					if (Protocol.seq(frame) == current.get()) {
						latencies.recordValue(now - publishedAt.get());
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
			for (int i = 0; i < warmupPublishes; i++) {
				requireAll(publish(publisher, protocol, ++seq, subscribers, current, publishedAt, remaining,
						Duration.ofSeconds(30)), subscribers);
			}
			latencies.reset();
			long busy = 0;
			int publishes = 0;
			long deadline = System.nanoTime() + measure.toNanos();
			while (publishes < minPublishes || System.nanoTime() < deadline) {
				long started = System.nanoTime();
				requireAll(publish(publisher, protocol, ++seq, subscribers, current, publishedAt, remaining,
						Duration.ofSeconds(30)), subscribers);
				busy += System.nanoTime() - started;
				publishes++;
			}
			Histogram histogram = latencies.getIntervalHistogram();
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("deliveriesPerSecond", histogram.getTotalCount() / seconds(busy));
			putLatencies(figures, histogram);
			figures.put("publishes", (double) publishes);
			return figures;
		}
		finally {
			peers.forEach(Peer::close);
		}
	}

	/**
	 * One publisher at a fixed rate, many subscribers: does the server keep up? Each
	 * subscriber should get every message; latency from the publish frame to each
	 * delivery, and how long after the last publish its last delivery arrives.
	 * @return {@code sentPerSecond}, {@code deliveriesPerSecond}, {@code delivered}
	 * (fraction), {@code p50Ms}, {@code p99Ms}, {@code p999Ms}, {@code maxMs},
	 * {@code lastDeliveryAfterMs} (from the last publish to the last delivery; if some
	 * never arrive, until the wait gave up)
	 */
	Map<String, Double> pacedFanOut(URI uri, Protocol protocol, int subscribers, int perSecond, Duration warmup,
			Duration measure) {
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
				peer.handle((self, frame) -> {
					if (Protocol.seq(frame) == probe.get()) {
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
			AtomicLong lastArrival = new AtomicLong();
			for (Peer peer : audience) {
				peer.handle((self, frame) -> {
					long now = System.nanoTime();
					long seq = Protocol.seq(frame);
					if (seq > warmupCount && seq <= total) {
						latencies.recordValue(now - sentAt.get((int) seq));
						delivered.incrementAndGet();
						lastArrival.accumulateAndGet(now, Math::max);
					}
				});
			}
			byte[][] frames = new byte[total + 1][];
			for (int seq = 1; seq <= total; seq++) {
				frames[seq] = protocol.publish(TOPIC, seq);
			}
			long measuredFrom = publishPaced(total, perSecond, warmupCount, sentAt,
					(seq) -> publisher.send(frames[seq]));
			long lastPublish = sentAt.get(total);
			long sendingTook = lastPublish - measuredFrom;
			long expected = (long) subscribers * (total - warmupCount);
			long deadline = lastPublish + Math.max(TimeUnit.SECONDS.toNanos(10), measure.toNanos());
			while (delivered.get() < expected && System.nanoTime() < deadline) {
				sleep(Duration.ofMillis(10));
			}
			long gaveUp = System.nanoTime();
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
		byte[] frame = protocol.publish(TOPIC, seq);
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
		byte[] subscribe = protocol.subscribe(topic);
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
	private static void expectReplies(List<Peer> peers, byte[] frame, String expected, Duration timeout) {
		List<CompletableFuture<String>> replies = peers.stream().map((peer) -> {
			CompletableFuture<String> reply = new CompletableFuture<>();
			peer.handle((self, text) -> reply.complete(text.toString(StandardCharsets.UTF_8)));
			peer.send(frame);
			return reply;
		}).toList();
		for (CompletableFuture<String> reply : replies) {
			String text = reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
			if (!text.contains(expected)) {
				throw new IllegalStateException("Expected a reply holding " + expected + ", got: " + text);
			}
		}
	}

	/**
	 * Idle connections: the server's heap after a full collection, before and after (a
	 * {@code settle} after opening them; another after closing them, before the next
	 * run).
	 * @return {@code bytesPerConnection}
	 */
	Map<String, Double> capacity(URI uri, URI heap, Protocol protocol, int connections, Duration settle) {
		long before = usedHeap(heap);
		List<Peer> peers = Peer.open(this.client, uri, protocol, connections);
		try {
			sleep(settle);
			long after = usedHeap(heap);
			return Map.of("bytesPerConnection", (after - before) / (double) connections);
		}
		finally {
			peers.forEach(Peer::close);
			sleep(settle);
		}
	}

	static long usedHeap(URI heap) {
		try {
			String body = HTTP
				.send(HttpRequest.newBuilder(heap).timeout(Duration.ofSeconds(30)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			return Long.parseLong(body.replaceAll("[^0-9]", ""));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read the server's heap at " + heap, ex);
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
	 * @return when the first measured message (after the warm-up ones) left
	 */
	private static long publishPaced(int total, int perSecond, int warmupCount, AtomicLongArray sentAt,
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
				measuredFrom = System.nanoTime();
			}
			sentAt.set(seq, System.nanoTime());
			send.accept(seq);
		}
		return measuredFrom;
	}

}
