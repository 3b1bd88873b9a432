package io.pikku.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.eventhub.EventHub;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of clients of a broadcast channel that vanish in every way a network lets
 * them (a reset or a FIN right after the upgrade, in the middle of a frame, after a whole
 * frame, a half close), never with a close frame: every one of them is cleaned up (the
 * runtime, the transport, the EventHub topic, the channel store, the server's sockets),
 * while a witness connection keeps getting answers.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AbruptDisconnectIntegrationTests {

	private static final int CONNECTIONS = 2_000;

	private static final int BATCH = 50;

	private static final String CLOSE_WAIT = "08";

	private static final String ECHO = "{\"action\":\"echo\",\"text\":\"x\"}";

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@Autowired
	ChannelTransport<?> transport;

	@Autowired
	EventHub eventHub;

	@Autowired
	ChannelStore channelStore;

	/**
	 * Every way, including a reset that reaches the server while {@code onConnect} is
	 * still sending its welcome.
	 */
	@Test
	void connectionsThatVanishInEveryWayAreAllCleanedUpWhileAWitnessKeepsAnswering() throws Exception {
		vanish(List.of(Ending.values()));
	}

	/**
	 * Every way in which the server's welcome is sent before the client goes: FINs,
	 * truncated frames, half closes, and resets after the reply.
	 */
	@Test
	void connectionsThatVanishAfterTheWelcomeAreAllCleanedUpWhileAWitnessKeepsAnswering() throws Exception {
		vanish(Arrays.stream(Ending.values()).filter((ending) -> !ending.mayResetDuringOnConnect()).toList());
	}

	private void vanish(List<Ending> endings) throws Exception {
		InMemoryChannelStore store = (InMemoryChannelStore) this.channelStore;
		ExecutorService pool = Executors.newFixedThreadPool(BATCH);
		List<Long> witnessMillis = new ArrayList<>();
		try (WebSocketTestClient witness = WebSocketTestClient
			.connect("ws://localhost:" + this.port + "/rooms/witness")) {
			assertThat(witness.receive().path("welcome").stringValue()).isEqualTo("witness");
			long start = System.nanoTime();
			for (int batch = 0; batch < CONNECTIONS / BATCH; batch++) {
				List<Future<?>> running = new ArrayList<>();
				for (int i = 0; i < BATCH; i++) {
					Ending ending = endings.get((batch * BATCH + i) % endings.size());
					running.add(pool.submit(() -> {
						ending.run(this.port);
						return null;
					}));
				}
				for (Future<?> connection : running) {
					connection.get(30, TimeUnit.SECONDS);
				}
				long callStart = System.nanoTime();
				assertThat(witness.call("{\"action\":\"echo\",\"text\":\"w\"}").path("text").stringValue())
					.isEqualTo("w");
				witnessMillis.add((System.nanoTime() - callStart) / 1_000_000);
			}
			long tookMillis = (System.nanoTime() - start) / 1_000_000;
			System.out.printf("Abrupt disconnects: %d connections (%d ways, %d at a time) took %d ms%n", CONNECTIONS,
					endings.size(), BATCH, tookMillis);
			System.out.printf("Abrupt disconnects: witness answered %d calls between batches, max latency %d ms%n",
					witnessMillis.size(), witnessMillis.stream().mapToLong(Long::longValue).max().orElse(0));

			// Every vanished client is cleaned up: the witness is the only connection
			// left.
			String expected = "broadcast=0 rooms=1 transport=1 store=1 subscribers(all)=0";
			long cleanupStart = System.nanoTime();
			awaitQuietly(Duration.ofSeconds(30), () -> expected.equals(state(store)));
			System.out.printf("Abrupt disconnects: %s %d ms after the last one%n", state(store),
					(System.nanoTime() - cleanupStart) / 1_000_000);
			SoftAssertions softly = new SoftAssertions();
			softly.assertThat(state(store)).as("what is left of the vanished clients").isEqualTo(expected);
			boolean procReadable = Files.isReadable(Path.of("/proc/net/tcp"));
			if (procReadable) {
				awaitQuietly(Duration.ofSeconds(30), () -> !serverSocketStates(this.port).containsKey(CLOSE_WAIT));
				Map<String, Integer> states = serverSocketStates(this.port);
				System.out.printf("Abrupt disconnects: server socket states (hex TCP state=count) %s%n", states);
				softly.assertThat(states)
					.as("TCP states of the server's sockets (%s = CLOSE_WAIT)", CLOSE_WAIT)
					.doesNotContainKey(CLOSE_WAIT);
			}

			// The server still accepts and serves the same channel.
			int subscribers = subscribers("all");
			try (WebSocketTestClient again = WebSocketTestClient
				.connect("ws://localhost:" + this.port + "/broadcast")) {
				softly.assertThat(again.receive().path("subscribed").booleanValue()).isTrue();
				softly.assertThat(again.call(ECHO).path("text").stringValue()).isEqualTo("x");
				softly.assertThat(subscribers("all")).isEqualTo(subscribers + 1);
			}
			softly.assertThat(witness.call("{\"action\":\"echo\",\"text\":\"w\"}").path("text").stringValue())
				.isEqualTo("w");
			softly.assertAll();
		}
		finally {
			pool.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(state(store))
				.isEqualTo("broadcast=0 rooms=0 transport=0 store=0 subscribers(all)=0"));
		assumeThat(Files.isReadable(Path.of("/proc/net/tcp"))).as("/proc/net/tcp is readable").isTrue();
	}

	private String state(InMemoryChannelStore store) throws Exception {
		return "broadcast=" + this.runtime.connectionCount("broadcast") + " rooms="
				+ this.runtime.connectionCount("rooms") + " transport=" + this.transport.connectionCount() + " store="
				+ store.size() + " subscribers(all)=" + subscribers("all");
	}

	private int subscribers(String topic) throws Exception {
		return this.eventHub.subscribers(topic).toCompletableFuture().get(5, TimeUnit.SECONDS).size();
	}

	/** Waits until the condition holds or the time is up, without failing. */
	private static void awaitQuietly(Duration timeout, Callable<Boolean> condition) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.call() && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
	}

	/**
	 * How many sockets with the server's port as their local port are in each TCP state
	 * (hex, as in /proc/net/tcp: 01 established, 06 time wait, 08 close wait, 0A listen).
	 */
	private static Map<String, Integer> serverSocketStates(int port) throws IOException {
		Map<String, Integer> states = new TreeMap<>();
		for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path path = Path.of(file);
			if (!Files.isReadable(path)) {
				continue;
			}
			List<String> lines = Files.readAllLines(path);
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.trim().split("\\s+");
				String local = fields[1];
				int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
				if (localPort == port) {
					states.merge(fields[3], 1, Integer::sum);
				}
			}
		}
		return states;
	}

	/** The ways a client goes away without a close frame. */
	enum Ending {

		/** A reset right after the upgrade. */
		RESET_AFTER_UPGRADE {
			@Override
			void end(Socket socket) throws IOException {
				reset(socket);
			}
		},

		/** A FIN right after the upgrade. */
		FIN_AFTER_UPGRADE {
			@Override
			void end(Socket socket) throws IOException {
				socket.close();
			}
		},

		/** A reset after a frame header announcing 100 bytes and 10 of them. */
		RESET_MID_FRAME {
			@Override
			void end(Socket socket) throws IOException {
				writeTruncatedFrame(socket);
				reset(socket);
			}
		},

		/** A FIN after a frame header announcing 100 bytes and 10 of them. */
		FIN_MID_FRAME {
			@Override
			void end(Socket socket) throws IOException {
				writeTruncatedFrame(socket);
				socket.close();
			}
		},

		/**
		 * A reset after the welcome, a frame header announcing 100 bytes and 10 of them.
		 */
		RESET_MID_FRAME_AFTER_WELCOME {
			@Override
			void end(Socket socket) throws IOException {
				readServerFrame(socket.getInputStream());
				writeTruncatedFrame(socket);
				reset(socket);
			}
		},

		/** A reset after a whole call, without waiting for its reply. */
		RESET_AFTER_FRAME {
			@Override
			void end(Socket socket) throws IOException {
				socket.getOutputStream().write(RawHandshake.textFrame(ECHO));
				reset(socket);
			}
		},

		/** A FIN after a whole call, without waiting for its reply. */
		FIN_AFTER_FRAME {
			@Override
			void end(Socket socket) throws IOException {
				socket.getOutputStream().write(RawHandshake.textFrame(ECHO));
				socket.close();
			}
		},

		/** A reset after a whole call and its reply. */
		RESET_AFTER_REPLY {
			@Override
			void end(Socket socket) throws IOException {
				socket.getOutputStream().write(RawHandshake.textFrame(ECHO));
				awaitEchoReply(socket);
				reset(socket);
			}
		},

		/**
		 * A half close (FIN, still reading) after a whole call: the server must close its
		 * side too, or its socket stays in CLOSE_WAIT.
		 */
		HALF_CLOSE_AFTER_FRAME {
			@Override
			void end(Socket socket) throws IOException {
				socket.getOutputStream().write(RawHandshake.textFrame(ECHO));
				socket.shutdownOutput();
				awaitEndOfStream(socket);
				socket.close();
			}
		};

		void run(int port) throws Exception {
			Socket socket = RawHandshake.open(port, "/broadcast", 0);
			try {
				end(socket);
			}
			finally {
				socket.close();
			}
		}

		abstract void end(Socket socket) throws IOException;

		/**
		 * Whether the reset may reach the server while onConnect still sends its welcome.
		 */
		boolean mayResetDuringOnConnect() {
			return this == RESET_AFTER_UPGRADE || this == RESET_MID_FRAME || this == RESET_AFTER_FRAME;
		}

		private static void reset(Socket socket) throws IOException {
			socket.setSoLinger(true, 0);
			socket.close();
		}

		private static void writeTruncatedFrame(Socket socket) throws IOException {
			byte[] frame = new byte[2 + 4 + 10];
			frame[0] = (byte) 0x81;
			frame[1] = (byte) (0x80 | 100);
			for (int i = 6; i < frame.length; i++) {
				frame[i] = '{';
			}
			socket.getOutputStream().write(frame);
			socket.getOutputStream().flush();
		}

		/** Reads frames (skipping the welcome) until the echo reply. */
		private static void awaitEchoReply(Socket socket) throws IOException {
			InputStream in = socket.getInputStream();
			for (int frames = 0; frames < 10; frames++) {
				String text = readServerFrame(in);
				if (text.contains("\"echo\"")) {
					return;
				}
			}
			throw new AssertionError("No echo reply");
		}

		/** Reads until the server closes its side: a close frame and the end. */
		private static void awaitEndOfStream(Socket socket) throws IOException {
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[4096];
			try {
				while (in.read(buffer) >= 0) {
					// discard
				}
			}
			catch (SocketTimeoutException ex) {
				throw new AssertionError("The server did not close a half-closed connection within 10 s", ex);
			}
			catch (IOException ex) {
				// A reset also means the server's side is gone.
			}
		}

	}

	/** Reads one unmasked server frame and returns its payload as text. */
	static String readServerFrame(InputStream in) throws IOException {
		RawHandshake.Frame frame = RawHandshake.readFrame(in);
		if (frame == null) {
			throw new IOException("Closed");
		}
		return frame.text();
	}

}
