package io.pikku.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand subscribers of a topic with a backlog of deliveries queued for each, that
 * all close at once (a storm of browser tabs, a load balancer draining, an attacker), on
 * a server that has just started: fresh clients keep being answered within a second
 * throughout, and every subscriber gets its close answered.
 */
class CloseStormIntegrationTests {

	private static final int SUBSCRIBERS = 1_000;

	private static final Duration PROBING = Duration.ofSeconds(6);

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "servlet", "reactive" })
	void freshClientsAreAnsweredWithinASecondWhileAThousandSubscribersCloseAtOnce(String stack) throws Exception {
		try (FreshServer server = FreshServer.start("--spring.main.web-application-type=" + stack,
				"--pikku.send-time-limit=10s", "--pikku.send-buffer-limit=4MB")) {
			HttpClient http = HttpClient.newConnection().baseUrl("ws://localhost:" + server.port());
			WebsocketClientSpec spec = WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build();
			Sinks.Empty<Void> closeAll = Sinks.empty();
			CountDownLatch subscribed = new CountDownLatch(SUBSCRIBERS);
			CountDownLatch closeAnswered = new CountDownLatch(SUBSCRIBERS);
			AtomicLong deliveries = new AtomicLong();
			AtomicInteger failed = new AtomicInteger();
			List<Disposable> subscribers = new ArrayList<>();
			for (int i = 0; i < SUBSCRIBERS; i++) {
				subscribers.add(http.websocket(spec).uri("/broadcast").handle((in, out) -> {
					// The first frame is the welcome; the rest are deliveries, counted
					// without decoding, to leave the CPU to the server.
					AtomicBoolean welcomed = new AtomicBoolean();
					Mono<Void> reading = in.receiveFrames().doOnNext((frame) -> {
						if (welcomed.compareAndSet(false, true)) {
							assertThat(((TextWebSocketFrame) frame).text()).contains("subscribed");
							subscribed.countDown();
						}
						else {
							deliveries.incrementAndGet();
						}
					}).then();
					Mono<Void> closing = closeAll.asMono().then(out.sendClose(1000, "bye"));
					return Mono.when(reading, closing);
				})
					.doOnError((ex) -> failed.incrementAndGet())
					.doFinally((signal) -> closeAnswered.countDown())
					.subscribe());
			}
			try {
				assertThat(subscribed.await(60, TimeUnit.SECONDS)).as("all subscribed").isTrue();
				try (WebSocketTestClient publisher = WebSocketTestClient
					.connect("ws://localhost:" + server.port() + "/broadcast")) {
					publisher.receive();
					// About 1,000 publishes/s of 200 bytes for 2 s to 1,000 subscribers:
					// far more than a server delivers, so each subscriber's queue grows.
					publisher.send("{\"action\":\"blast\",\"count\":2000,\"size\":200,\"pauseEvery\":1}");
					Thread.sleep(1500);
					long deliveredBeforeClose = deliveries.get();
					closeAll.tryEmitEmpty();
					List<Long> probes = probe(server);
					long slowest = probes.stream().mapToLong(Long::longValue).max().orElseThrow();
					System.out.printf(
							"%s: %d subscribers closed at once after %d deliveries (of up to %d published); %d fresh clients answered meanwhile, slowest %d ms%n",
							stack, SUBSCRIBERS, deliveredBeforeClose, 2000L * SUBSCRIBERS, probes.size(), slowest);
					assertThat(deliveredBeforeClose).as("deliveries before the storm").isPositive();
					assertThat(slowest).as("slowest fresh client during the storm, in ms").isLessThan(1000);
					assertThat(closeAnswered.await(30, TimeUnit.SECONDS)).as("every close answered").isTrue();
				}
			}
			finally {
				subscribers.forEach(Disposable::dispose);
			}
		}
	}

	/**
	 * Connects fresh clients one after another for a while, each opening a channel and
	 * making a call.
	 * @return how long each took, in milliseconds
	 */
	private static List<Long> probe(FreshServer server) {
		int port = server.port();
		List<Long> millis = new ArrayList<>();
		long end = System.nanoTime() + PROBING.toNanos();
		int n = 0;
		while (System.nanoTime() < end) {
			long start = System.nanoTime();
			Thread dumper = new Thread(() -> {
				try {
					Thread.sleep(2000);
					System.out.println(summary(server.threadDump()));
				}
				catch (InterruptedException ex) {
					// answered in time
				}
			});
			dumper.start();
			try (WebSocketTestClient probe = WebSocketTestClient.connect("ws://localhost:" + port + "/rooms/probe")) {
				assertThat(probe.receive().path("welcome").stringValue()).isEqualTo("probe");
				String text = "p" + (n++);
				assertThat(probe.call("{\"action\":\"echo\",\"text\":\"" + text + "\"}").path("text").stringValue())
					.isEqualTo(text);
			}
			finally {
				dumper.interrupt();
			}
			millis.add((System.nanoTime() - start) / 1_000_000);
		}
		return millis;
	}

	/** Where the server's threads are: each distinct top of stack, with a count. */
	private static String summary(String dump) {
		java.util.Map<String, Integer> tops = new java.util.TreeMap<>();
		for (String thread : dump.split("\n\n")) {
			String[] lines = thread.split("\n");
			if (lines.length >= 3 && lines[0].startsWith("\"")) {
				StringBuilder top = new StringBuilder();
				for (int i = 2; i < Math.min(lines.length, 9); i++) {
					top.append("\n    ").append(lines[i].trim());
				}
				tops.merge(top.toString(), 1, Integer::sum);
			}
		}
		StringBuilder summary = new StringBuilder("A fresh client waited over 2 s; the server's threads:\n");
		tops.forEach((top, count) -> summary.append(count).append(" threads at").append(top).append('\n'));
		return summary.toString();
	}

}
