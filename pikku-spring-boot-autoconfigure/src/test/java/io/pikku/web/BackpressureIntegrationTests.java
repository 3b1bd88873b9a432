package io.pikku.web;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile clients on a real server: a subscriber that stops reading during a broadcast is
 * cut off while the others receive all of it in order; a client that floods calls and
 * never reads is closed while another connection keeps getting answers.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pikku.send-buffer-limit=2MB", "pikku.send-time-limit=2s" })
class BackpressureIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@Test
	void aSubscriberThatStopsReadingIsCutOffAndTheOthersReceiveEverythingInOrder() throws Exception {
		long start = System.nanoTime();
		int count = 20_000;
		try (Socket stalled = RawHandshake.open(this.port, "/broadcast", 4096);
				WebSocketTestClient first = WebSocketTestClient.connect("ws://localhost:" + this.port + "/broadcast");
				WebSocketTestClient second = WebSocketTestClient
					.connect("ws://localhost:" + this.port + "/broadcast")) {
			first.receive();
			second.receive();
			await().until(() -> this.runtime.connectionCount("broadcast") == 3);
			long heapBefore = usedHeap();
			// Rounds of 500 messages (0.5 MB): the readers drain each round before the
			// next,
			// so their queues stay far below the limit however slow the machine; the
			// stalled subscriber's queue grows with every round until it passes the
			// limit.
			List<Integer> firstGot = new ArrayList<>();
			List<Integer> secondGot = new ArrayList<>();
			int rounds = count / 500;
			for (int round = 0; round < rounds; round++) {
				first.send("{\"action\":\"blast\",\"count\":500,\"size\":1000,\"pauseEvery\":0}");
				int target = (round + 1) * 500;
				while (firstGot.size() < target) {
					JsonNode message = first.receive();
					if (message.has("n")) {
						firstGot.add(round * 500 + message.path("n").intValue());
					}
				}
				while (secondGot.size() < target) {
					secondGot.add(round * 500 + second.receive().path("n").intValue());
				}
			}
			assertThat(firstGot).isSorted().hasSize(count).doesNotHaveDuplicates();
			assertThat(secondGot).isSorted().hasSize(count).doesNotHaveDuplicates();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.connectionCount("broadcast") == 2);
			long heapGrowth = usedHeap() - heapBefore;
			System.out.printf("Slow consumer cut off within %d ms; heap grew %d KB during a %d KB broadcast%n",
					(System.nanoTime() - start) / 1_000_000, heapGrowth / 1024, count);
		}
	}

	@Test
	void aClientThatFloodsCallsAndNeverReadsIsClosedWhileOthersKeepAnswering() throws Exception {
		AtomicBoolean flooding = new AtomicBoolean(true);
		List<Long> witnessMillis = new ArrayList<>();
		try (Socket flooder = RawHandshake.open(this.port, "/broadcast", 4096);
				WebSocketTestClient witness = WebSocketTestClient
					.connect("ws://localhost:" + this.port + "/broadcast")) {
			witness.receive();
			Thread flood = new Thread(() -> {
				byte[] frame = RawHandshake.textFrame("{\"action\":\"echo\",\"text\":\"" + "f".repeat(19) + "\"}");
				try {
					OutputStream out = flooder.getOutputStream();
					for (int i = 0; i < 200_000 && flooding.get(); i++) {
						out.write(frame);
					}
				}
				catch (Exception ex) {
					// The server closed the flooder: what we want.
				}
				flooding.set(false);
			});
			flood.start();
			while (flooding.get()) {
				long start = System.nanoTime();
				assertThat(witness.call("{\"action\":\"echo\",\"text\":\"witness\"}").path("text").stringValue())
					.isEqualTo("witness");
				witnessMillis.add((System.nanoTime() - start) / 1_000_000);
			}
			flood.join(10_000);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.connectionCount("broadcast") == 1);
			assertThat(witnessMillis).allMatch((millis) -> millis < 2000);
			System.out.printf("Flooder closed; the witness made %d calls meanwhile, slowest %d ms%n",
					witnessMillis.size(), witnessMillis.stream().mapToLong(Long::longValue).max().orElse(0));
		}
	}

	/**
	 * A client that pipelines calls faster than it takes their replies is slowed down,
	 * not closed: the server reads its frames only as their replies are written.
	 */
	@Test
	void aClientThatCallsFasterThanItReadsIsSlowedDownAndGetsEveryReplyInOrder() throws Exception {
		int count = 16_000;
		try (Socket caller = RawHandshake.open(this.port, "/broadcast", 4096)) {
			caller.setSoTimeout(30_000);
			InputStream in = new BufferedInputStream(caller.getInputStream());
			assertThat(readText(in)).isEqualTo("{\"subscribed\":true}");
			Thread calls = new Thread(() -> {
				java.util.Random masks = new java.util.Random(count);
				try {
					OutputStream out = new BufferedOutputStream(caller.getOutputStream());
					for (int i = 0; i < count; i++) {
						out.write(FuzzIntegrationTests.frame(true, 0, 0x1,
								("{\"action\":\"big\",\"size\":1000,\"correlationId\":\"" + i + "\"}")
									.getBytes(StandardCharsets.UTF_8),
								masks));
					}
					out.flush();
				}
				catch (IOException ex) {
					// The server closed the connection: the reads below fail.
				}
			});
			calls.start();
			// 16 MB of replies against a 2 MB send buffer limit (and the server's socket
			// buffer), read at about 5 MB/s.
			for (int i = 0; i < count; i++) {
				String reply = readText(in);
				assertThat(reply).as("reply %d", i)
					.contains("\"correlationId\":\"" + i + "\"")
					.contains("b".repeat(1000));
				if (i % 25 == 0) {
					Thread.sleep(5);
				}
			}
			calls.join(10_000);
			assertThat(this.runtime.connectionCount("broadcast")).isEqualTo(1);
		}
	}

	/** The next text frame from the server; fails on a close frame. */
	private static String readText(InputStream in) throws IOException {
		while (true) {
			RawHandshake.Frame frame = RawHandshake.readFrame(in);
			if (frame == null) {
				throw new IOException("The server ended the connection");
			}
			if (frame.isClose()) {
				throw new IllegalStateException("Closed by the server: " + frame.closeCode());
			}
			if (frame.opcode() == 0x1) {
				return frame.text();
			}
		}
	}

	private static long usedHeap() {
		System.gc();
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
