package io.pikku.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

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
 * Clients that stop reading, more of them than the servlet container has threads: those
 * whose replies cannot be written, those that close with a backlog they never read, and
 * subscribers that never read a broadcast (far more than the transport's writers). None
 * of them holds a container thread or a writer that the others need: a witness connection
 * keeps getting answers and broadcasts, and fresh clients keep connecting. A subscriber
 * that only pauses gets every broadcast, in order.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.tomcat.threads.max=20", "pikku.send-time-limit=5s", "pikku.send-buffer-limit=8MB" })
class SlowReaderIntegrationTests {

	/** More than the container's threads. */
	private static final int CLIENTS = 40;

	private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@Test
	void clientsThatNeverReadTheirRepliesHoldNoThreadOthersNeed() throws Exception {
		List<Socket> readers = new ArrayList<>();
		try (WebSocketTestClient witness = WebSocketTestClient.connect("ws://localhost:" + this.port + "/broadcast")) {
			witness.receive();
			for (int i = 0; i < CLIENTS; i++) {
				Socket socket = RawHandshake.open(this.port, "/broadcast", 4096);
				readers.add(socket);
				// 200 replies of 60 KB: more than the socket buffers hold, so the
				// server's write of a reply blocks once they are full.
				OutputStream out = socket.getOutputStream();
				byte[] call = RawHandshake.textFrame("{\"action\":\"big\",\"size\":60000}");
				for (int n = 0; n < 200; n++) {
					out.write(call);
				}
				out.flush();
			}
			assertOthersKeepBeingAnswered(witness, "clients not reading 60 KB replies");
		}
		finally {
			for (Socket socket : readers) {
				socket.close();
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runtime.connectionCount("broadcast") == 0);
	}

	@Test
	void clientsThatCloseWithABacklogTheyNeverReadHoldNoThreadOthersNeed() throws Exception {
		List<Socket> closers = new ArrayList<>();
		try (WebSocketTestClient witness = WebSocketTestClient.connect("ws://localhost:" + this.port + "/broadcast")) {
			witness.receive();
			for (int i = 0; i < CLIENTS; i++) {
				closers.add(RawHandshake.open(this.port, "/broadcast", 4096));
			}
			await().until(() -> this.runtime.connectionCount("broadcast") == CLIENTS + 1);
			// 6 MB to every subscriber: more than the socket buffers hold, so the
			// closers' writes stall; the witness reads.
			witness.send("{\"action\":\"blast\",\"count\":600,\"size\":10000,\"pauseEvery\":0}");
			int received = 0;
			while (received < 600) {
				if (witness.receive().has("n")) {
					received++;
				}
			}
			witness.receive();
			for (Socket closer : closers) {
				closer.getOutputStream().write(new byte[] { (byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8 });
				closer.getOutputStream().flush();
			}
			assertOthersKeepBeingAnswered(witness, "clients closed with a backlog they never read");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.connectionCount("broadcast") == 1);
		}
		finally {
			for (Socket socket : closers) {
				socket.close();
			}
		}
	}

	@Test
	void subscribersThatNeverReadDoNotHoldUpBroadcastsToTheOthers() throws Exception {
		List<Socket> stalled = new ArrayList<>();
		try (WebSocketTestClient publisher = WebSocketTestClient.connect("ws://localhost:" + this.port + "/broadcast");
				WebSocketTestClient witness = WebSocketTestClient
					.connect("ws://localhost:" + this.port + "/broadcast")) {
			publisher.receive();
			witness.receive();
			for (int i = 0; i < CLIENTS; i++) {
				stalled.add(RawHandshake.open(this.port, "/broadcast", 4096));
			}
			await().until(() -> this.runtime.connectionCount("broadcast") == CLIENTS + 2);
			// 6 MB to every subscriber: the writes to those that never read block once
			// their socket buffers are full, 40 times more than there are writers. (The
			// publisher's own copies are written in place, on its reading thread; the
			// witness's, like the others', by the writers.)
			long start = System.nanoTime();
			publisher.send("{\"action\":\"blast\",\"count\":600,\"size\":10000,\"pauseEvery\":0}");
			List<Integer> received = new ArrayList<>();
			while (received.size() < 600) {
				received.add(witness.receive().path("n").intValue());
			}
			long millis = (System.nanoTime() - start) / 1_000_000;
			System.out.printf("%d subscribers that never read; the witness had 600 broadcasts of 10 KB in %d ms%n",
					CLIENTS, millis);
			assertThat(received).containsExactlyElementsOf(IntStream.range(0, 600).boxed().toList());
			// A writer held for the send time limit would show as 5 s here.
			assertThat(millis).as("the witness's 600 broadcasts, in ms").isLessThan(2500);
			assertOthersKeepBeingAnswered(witness, "subscribers that never read a broadcast");
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runtime.connectionCount("broadcast") == 0);
	}

	@Test
	void aSubscriberThatPausesReadingGetsEveryBroadcastInOrderAndStaysOpen() throws Exception {
		try (WebSocketTestClient witness = WebSocketTestClient.connect("ws://localhost:" + this.port + "/broadcast");
				Socket paused = RawHandshake.open(this.port, "/broadcast", 4096)) {
			witness.receive();
			InputStream in = paused.getInputStream();
			assertThat(RawHandshake.readMessage(in).text()).contains("subscribed");
			// 6 MB, below the send buffer limit: the writes to the paused subscriber
			// stall until it reads again, longer than a writer waits for one write.
			witness.send("{\"action\":\"blast\",\"count\":600,\"size\":10000,\"pauseEvery\":0}");
			Thread.sleep(500);
			List<Integer> received = new ArrayList<>();
			while (received.size() < 600) {
				RawHandshake.Frame frame = RawHandshake.readMessage(in);
				Matcher n = N.matcher(frame.text());
				assertThat(n.find())
					.as("a broadcast, not a message of %d bytes with opcode %d", frame.payload().length, frame.opcode())
					.isTrue();
				received.add(Integer.parseInt(n.group(1)));
			}
			assertThat(received).containsExactlyElementsOf(IntStream.range(0, 600).boxed().toList());
			paused.getOutputStream().write(RawHandshake.textFrame("{\"action\":\"echo\",\"text\":\"p\"}"));
			assertThat(RawHandshake.readMessage(in).text()).contains("\"text\":\"p\"");
		}
	}

	/**
	 * For 3 s, the witness keeps calling, each call answered within a second; then a
	 * fresh client connects and calls within a second.
	 */
	private void assertOthersKeepBeingAnswered(WebSocketTestClient witness, String what) {
		List<Long> millis = new ArrayList<>();
		long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() < end) {
			long start = System.nanoTime();
			assertThat(witness.call("{\"action\":\"echo\",\"text\":\"w\"}").path("text").stringValue()).isEqualTo("w");
			millis.add((System.nanoTime() - start) / 1_000_000);
		}
		long slowest = millis.stream().mapToLong(Long::longValue).max().orElse(0);
		System.out.printf("%d %s; the witness made %d calls meanwhile, slowest %d ms%n", CLIENTS, what, millis.size(),
				slowest);
		// A container thread held for the send time limit would show as 5 s here.
		assertThat(slowest).as("slowest witness call, in ms").isLessThan(2000);
		long start = System.nanoTime();
		try (WebSocketTestClient fresh = WebSocketTestClient.connect("ws://localhost:" + this.port + "/text")) {
			assertThat(fresh.call("{\"action\":\"echo\",\"text\":\"f\"}").path("text").stringValue()).isEqualTo("f");
		}
		assertThat((System.nanoTime() - start) / 1_000_000).as("a fresh client's connect and call, in ms")
			.isLessThan(2000);
	}

}
