package io.pikku.web;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded fuzzer on a real server: tens of thousands of frames over several raw sockets
 * (valid calls, random text and bytes, random JSON of random depth, oversize and
 * fragmented frames, binary frames, pings, protocol violations). The server answers or
 * closes each connection as the protocol says, a witness connection keeps getting its
 * answers in time throughout, and every fuzz connection is cleaned up afterwards.
 *
 * <p>
 * Rerun a failure with {@code -Dpikku.fuzz.seed=<the printed seed>}: each socket then
 * sends the same frames again (the interleaving between sockets still varies).
 * {@code -Dpikku.fuzz.sockets=1} fuzzes on one socket, as one hostile client would.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pikku.max-text-message-size=16KB")
class FuzzIntegrationTests {

	private static final long SEED = Long.getLong("pikku.fuzz.seed", 20261123L);

	private static final int SOCKETS = Integer.getInteger("pikku.fuzz.sockets", 4);

	private static final long MIN_FRAMES = 20_000;

	private static final long MAX_FRAMES = 150_000;

	private static final Duration BUDGET = Duration.ofSeconds(30);

	private static final int TEXT_LIMIT = 16 * 1024;

	private static final int BINARY_LIMIT = 64 * 1024;

	private static final String ROOM = "fuzz";

	/**
	 * The room of the protocol-error and UTF-8 tests: not {@link #ROOM}, whose
	 * disconnects the fuzz counts, since their last onDisconnect may run after they
	 * return (after the calls still in flight).
	 */
	private static final String PROTOCOL_ERROR_ROOM = "fuzz-protocol-error";

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	/**
	 * Everything, also long action names of any character, and no connection ever closed
	 * with 1011 (server error).
	 */
	@Test
	void theServerSurvivesFuzzingOfEverythingWithoutAServerError() throws Exception {
		fuzz(true);
	}

	/**
	 * What the fuzzer found: OpenChannel.describe() cuts the action name at 64 UTF-16
	 * chars, which can leave half a surrogate pair in the error message; Tomcat cannot
	 * encode it (IllegalArgumentException: MALFORMED[1]) and ServletConnection aborts the
	 * connection with 1011.
	 */
	@Test
	void anUnknownActionNameCutInTheMiddleOfACharacterIsAnsweredAndTheConnectionStaysOpen() {
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/emoji")) {
			client.receive();
			String action = "a".repeat(63) + "\uD83D\uDE00";
			JsonNode reply = client.call("{\"action\":\"" + action + "\"}");
			assertThat(reply.path("action").stringValue()).isEqualTo(action);
			assertThat(reply.path("error").path("code").stringValue()).isEqualTo("unknown_action");
			assertThat(client.call("{\"action\":\"echo\",\"text\":\"open\"}").path("text").stringValue())
				.isEqualTo("open");
		}
	}

	/**
	 * A text frame must be UTF-8: a replacement character sent as such is text like any
	 * other, while an encoded surrogate, an overlong encoding or a cut sequence closes
	 * the connection with 1007, and nothing is answered for it. (Tomcat sometimes ends
	 * such a connection without its close frame: see {@link #closeFrameAlwaysSent()}.)
	 */
	@Test
	void aTextFrameThatIsNotUtf8ClosesWith1007AndAReplacementCharacterIsText() throws Exception {
		long roomsBefore = this.runtime.connectionCount("rooms");
		Random random = new Random(SEED);
		String valid = "{\"action\":\"echo\",\"text\":\"\uFFFD \u00e9 \uD83D\uDE00\"}";
		try (Socket socket = RawHandshake.open(this.port, "/rooms/" + PROTOCOL_ERROR_ROOM, 0)) {
			socket.getOutputStream().write(frame(true, 0, 0x1, valid.getBytes(StandardCharsets.UTF_8), random));
			assertThat(readReply(socket.getInputStream()).path("text").stringValue())
				.isEqualTo("\uFFFD \u00e9 \uD83D\uDE00");
		}
		byte[][] invalid = { { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				{ (byte) 0xE0, (byte) 0x80, (byte) 0xAF }, { (byte) 0xE2, (byte) 0x82 },
				{ (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xFF } };
		Map<Integer, AtomicLong> codes = new TreeMap<>();
		for (int round = 0; round < 4; round++) {
			for (byte[] bytes : invalid) {
				ByteArrayOutputStream payload = new ByteArrayOutputStream();
				payload.writeBytes("{\"action\":\"echo\",\"text\":\"".getBytes(StandardCharsets.UTF_8));
				payload.writeBytes(bytes);
				payload.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
				try (Socket socket = RawHandshake.open(this.port, "/rooms/" + PROTOCOL_ERROR_ROOM, 0)) {
					socket.getOutputStream().write(frame(true, 0, 0x1, payload.toByteArray(), random));
					int code = readCloseCode(socket.getInputStream(), true);
					assertThat(code).as(HexFormat.of().formatHex(bytes))
						.isIn(closeFrameAlwaysSent() ? List.of(1007) : List.of(1007, -1));
					codes.computeIfAbsent(code, (key) -> new AtomicLong()).incrementAndGet();
				}
			}
		}
		System.out.printf("Fuzz frames: close codes after a text frame that is not UTF-8 %s "
				+ "(-1: the connection ended without a close frame)%n", codes);
		assertThat(codes.get(1007)).as("connections closed with 1007").hasValueGreaterThan(4 * invalid.length / 2);
		awaitRoomsClosed(roomsBefore);
	}

	/**
	 * Whether the server always sends its close frame when a frame breaks the protocol:
	 * Tomcat sometimes closes the socket first, Reactor Netty does not.
	 * @return {@code false} on Tomcat
	 */
	protected boolean closeFrameAlwaysSent() {
		return false;
	}

	/** The first reply to a call, after the room's own messages. */
	private static JsonNode readReply(InputStream in) throws IOException {
		while (true) {
			RawHandshake.Frame frame = RawHandshake.readFrame(in);
			assertThat(frame).as("a reply before the end").isNotNull();
			assertThat(frame.isClose()).as("a reply, not a close").isFalse();
			JsonNode message = json.readTree(frame.text());
			if (message.has("text")) {
				return message;
			}
		}
	}

	/**
	 * What the fuzzer found: when a frame breaks the protocol while a reply is being
	 * written, Tomcat fails that write with an EOFException (WsHttpUpgradeHandler.close
	 * clears the pending send handler) before it closes with 1002;
	 * ServletConnection.failed takes that for a server failure and closes with 1011 from
	 * its own thread, which sometimes goes out first. About 1 in 200 such connections
	 * here.
	 */
	@Test
	void aProtocolErrorWhileRepliesAreInFlightIsClosedWithTheProtocolsCode() throws Exception {
		long roomsBefore = this.runtime.connectionCount("rooms");
		Map<Integer, AtomicLong> codes = new ConcurrentHashMap<>();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			Random random = new Random(SEED + t);
			Thread thread = new Thread(() -> {
				for (int attempt = 0; attempt < 300; attempt++) {
					try (Socket socket = RawHandshake.open(this.port, "/rooms/" + PROTOCOL_ERROR_ROOM, 0)) {
						ByteArrayOutputStream frames = new ByteArrayOutputStream();
						for (int i = random.nextInt(40); i > 0; i--) {
							frames.writeBytes(frame(true, 0, 0x1,
									"{\"action\":\"progress\"}".getBytes(StandardCharsets.UTF_8), random));
						}
						frames.writeBytes(frame(true, 0, 0x3, new byte[] { 1 }, random));
						socket.getOutputStream().write(frames.toByteArray());
						codes.computeIfAbsent(readCloseCode(socket.getInputStream()), (code) -> new AtomicLong())
							.incrementAndGet();
					}
					catch (IOException ex) {
						codes.computeIfAbsent(-2, (code) -> new AtomicLong()).incrementAndGet();
					}
				}
			});
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join(60_000);
		}
		System.out.printf("Fuzz frames: close codes after a reserved opcode behind pipelined calls %s "
				+ "(-1: the connection ended without a close frame)%n", new TreeMap<>(codes));
		assertThat(codes).doesNotContainKey(1011);
		// Not passed by default: most connections must have been closed for the reserved
		// opcode (1002), not lost to socket errors before the server answered.
		long attempts = codes.values().stream().mapToLong(AtomicLong::get).sum();
		assertThat(attempts).isEqualTo(4 * 300);
		assertThat(codes.getOrDefault(1002, new AtomicLong()).get()).as("connections closed with 1002")
			.isGreaterThan(attempts / 2);
		awaitRoomsClosed(roomsBefore);
	}

	/**
	 * Waits until the server has let go of the connections a test opened on the rooms
	 * channel: the fuzz test counts that channel's connections from where it finds them.
	 */
	private void awaitRoomsClosed(long roomsBefore) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.runtime.connectionCount("rooms")).isLessThanOrEqualTo(roomsBefore));
	}

	/** Reads server frames until a close frame (its code) or the end (-1). */
	private static int readCloseCode(InputStream in) throws IOException {
		return readCloseCode(in, false);
	}

	/**
	 * Reads server frames until a close frame (its code) or the end (-1), failing on a
	 * reply if {@code noReply}: frames that carry a {@code text}.
	 */
	private static int readCloseCode(InputStream in, boolean noReply) throws IOException {
		while (true) {
			RawHandshake.Frame frame = RawHandshake.readFrame(in);
			if (frame == null) {
				return -1;
			}
			if (frame.isClose()) {
				return frame.closeCode();
			}
			if (noReply) {
				assertThat(json.readTree(frame.text()).has("text")).as("a reply to a frame that is not UTF-8")
					.isFalse();
			}
		}
	}

	private void fuzz(boolean everything) throws Exception {
		System.out.printf("Fuzz seed %d (rerun with -Dpikku.fuzz.seed=%d)%n", SEED, SEED);
		long roomsBefore = this.runtime.connectionCount("rooms");
		long disconnectsBefore = fuzzDisconnects();
		Stats stats = new Stats();
		List<Long> witnessMicros = Collections.synchronizedList(new ArrayList<>());
		AtomicReference<Throwable> witnessFailure = new AtomicReference<>();
		AtomicBoolean fuzzing = new AtomicBoolean(true);
		try (WebSocketTestClient witness = WebSocketTestClient
			.connect("ws://localhost:" + this.port + "/rooms/witness")) {
			assertThat(witness.receive().path("welcome").stringValue()).isEqualTo("witness");
			// The witness's p99 before anyone fuzzes, to say what fuzzing costs a
			// neighbour.
			List<Long> quietMicros = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				long start = System.nanoTime();
				assertThat(witness.call("{\"action\":\"echo\",\"text\":\"w\"}").path("text").stringValue())
					.isEqualTo("w");
				long micros = (System.nanoTime() - start) / 1_000;
				quietMicros.add(micros);
				Thread.sleep(Math.max(0, 20 - micros / 1_000));
			}
			Collections.sort(quietMicros);
			Thread witnessCalls = new Thread(() -> {
				try {
					while (fuzzing.get()) {
						long start = System.nanoTime();
						JsonNode reply = witness.call("{\"action\":\"echo\",\"text\":\"w\"}");
						long micros = (System.nanoTime() - start) / 1_000;
						assertThat(reply.toString()).isEqualTo("{\"action\":\"echo\",\"text\":\"w\"}");
						witnessMicros.add(micros);
						Thread.sleep(Math.max(0, 50 - micros / 1_000));
					}
				}
				catch (Throwable ex) {
					witnessFailure.set(ex);
				}
			}, "fuzz-witness");
			witnessCalls.start();

			long start = System.nanoTime();
			long deadline = start + BUDGET.toNanos();
			List<Thread> fuzzers = new ArrayList<>();
			for (int i = 0; i < SOCKETS; i++) {
				Fuzzer fuzzer = new Fuzzer(this.port, new Random(SEED * 31 + i), stats, deadline, everything);
				Thread thread = new Thread(fuzzer, "fuzzer-" + i);
				fuzzers.add(thread);
				thread.start();
			}
			for (Thread fuzzer : fuzzers) {
				fuzzer.join(BUDGET.toMillis() + 30_000);
				assertThat(fuzzer.isAlive()).as("%s finished", fuzzer.getName()).isFalse();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			fuzzing.set(false);
			witnessCalls.join(15_000);

			long frames = stats.frames.get();
			System.out.printf("Fuzz frames: %d frames (%d messages, %d MB) in %.1f s, %.0f frames/s, %d reconnects%n",
					frames, stats.messages.get(), stats.bytes.get() / (1024 * 1024), seconds, frames / seconds,
					stats.upgrades.get() - SOCKETS);
			System.out.printf("Fuzz frames by kind: %s%n", new TreeMap<>(stats.kinds));
			System.out.printf("Fuzz frames: server replied %d frames, error codes %s%n", stats.replies.get(),
					new TreeMap<>(stats.errorCodes));
			System.out.printf("Fuzz frames: close codes %s, fatal frames the server did not close on %s%n",
					new TreeMap<>(stats.closeCodes), new TreeMap<>(stats.notClosed));
			System.out.printf("Fuzz frames: close codes by frame %s%n", new TreeMap<>(stats.closedBy));
			List<Long> sorted = new ArrayList<>(witnessMicros);
			Collections.sort(sorted);
			long p50 = percentile(sorted, 0.50);
			long p99 = percentile(sorted, 0.99);
			System.out.printf(
					"Fuzz witness: %d calls, p50 %d µs, p99 %d µs, max %d µs; before fuzzing p50 %d µs, p99 %d µs%n",
					sorted.size(), p50, p99, sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
					percentile(quietMicros, 0.50), percentile(quietMicros, 0.99));

			assertThat(stats.failure.get()).as("a fuzzer failed").isNull();
			assertThat(witnessFailure.get()).as("the witness failed").isNull();
			assertThat(frames).isGreaterThanOrEqualTo(MIN_FRAMES);
			assertThat(sorted).hasSizeGreaterThan(100);
			assertThat(p99).as("witness p99 in µs").isLessThan(2_000_000);
			// The server closed only connections that broke the protocol or asked for it.
			assertThat(stats.unexpectedCloses).as("closes after valid frames only").isEmpty();
			// Every failure the server answered is one the frames asked for.
			assertThat(count(stats.errorCodes, "internal"))
				.as("'internal' errors, at most one per 'crash' call or reply too deep to write")
				.isLessThanOrEqualTo(count(stats.kinds, "call-crash") + count(stats.kinds, "fragmented-call-crash")
						+ count(stats.kinds, "random-json-deep-at-limit"));
			// Every frame the protocol forbids closed its connection, never with a server
			// error (that part only with everything: see the disabled tests).
			assertThat(stats.notClosed).as("fatal frames the server did not close on").isEmpty();
			if (everything) {
				assertThat(stats.closeCodes).as("close codes").doesNotContainKey(1011);
			}

			// Every fuzz connection is gone, and ran its onDisconnect once.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.runtime.connectionCount("rooms")).isEqualTo(roomsBefore + 1));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(fuzzDisconnects() - disconnectsBefore).isEqualTo(stats.upgrades.get()));

			// The server still accepts connections and answers them, and the witness.
			try (WebSocketTestClient after = WebSocketTestClient
				.connect("ws://localhost:" + this.port + "/rooms/after")) {
				assertThat(after.receive().path("welcome").stringValue()).isEqualTo("after");
				assertThat(after.call("{\"action\":\"add\",\"a\":2,\"b\":3}").toString())
					.isEqualTo("{\"action\":\"add\",\"result\":5}");
			}
			assertThat(witness.call("{\"action\":\"echo\",\"text\":\"w\"}").path("text").stringValue()).isEqualTo("w");
		}
	}

	private static long count(Map<String, AtomicLong> counts, String key) {
		AtomicLong count = counts.get(key);
		return (count != null) ? count.get() : 0;
	}

	private static long fuzzDisconnects() {
		return TestChannels.disconnected.stream().filter(ROOM::equals).count();
	}

	private static long percentile(List<Long> sorted, double fraction) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(fraction * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	/** What the fuzzers did and saw. */
	static final class Stats {

		final AtomicLong frames = new AtomicLong();

		final AtomicLong messages = new AtomicLong();

		final AtomicLong bytes = new AtomicLong();

		final AtomicLong upgrades = new AtomicLong();

		final AtomicLong replies = new AtomicLong();

		final Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();

		final Map<String, AtomicLong> errorCodes = new ConcurrentHashMap<>();

		final Map<Integer, AtomicLong> closeCodes = new ConcurrentHashMap<>();

		final Map<String, AtomicLong> notClosed = new ConcurrentHashMap<>();

		final Map<String, AtomicLong> closedBy = new ConcurrentHashMap<>();

		final Map<String, AtomicLong> unexpectedCloses = new ConcurrentHashMap<>();

		final AtomicReference<Throwable> failure = new AtomicReference<>();

		static void count(Map<String, AtomicLong> counts, String key) {
			counts.computeIfAbsent(key, (k) -> new AtomicLong()).incrementAndGet();
		}

	}

	/**
	 * Frames of one message: what was sent, and whether the server must (or may) close
	 * the connection for it.
	 */
	record Message(String kind, List<byte[]> frames, boolean closes) {

		static Message of(String kind, byte[]... frames) {
			return new Message(kind, List.of(frames), false);
		}

		static Message closing(String kind, byte[]... frames) {
			return new Message(kind, List.of(frames), true);
		}

	}

	/**
	 * One raw connection and the thread that reads (and discards) what the server sends.
	 */
	static final class Connection {

		private final Socket socket;

		private final OutputStream out;

		private final CountDownLatch ended = new CountDownLatch(1);

		private final Stats stats;

		private volatile int closeCode = -1;

		Connection(int port, Stats stats) throws IOException {
			this.stats = stats;
			this.socket = RawHandshake.open(port, "/rooms/" + ROOM, 0);
			stats.upgrades.incrementAndGet();
			this.out = new BufferedOutputStream(this.socket.getOutputStream(), 64 * 1024);
			Thread reader = new Thread(this::read, "fuzz-reader");
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			try {
				this.socket.setSoTimeout(0);
				InputStream in = this.socket.getInputStream();
				while (true) {
					RawHandshake.Frame frame = RawHandshake.readFrame(in);
					if (frame == null) {
						return;
					}
					if (frame.isClose()) {
						this.closeCode = frame.closeCode();
						this.stats.closeCodes.computeIfAbsent(this.closeCode, (code) -> new AtomicLong())
							.incrementAndGet();
						if (this.closeCode == 1011) {
							byte[] payload = frame.payload();
							System.out.printf("Fuzz close 1011 at %s, reason '%s'%n", java.time.Instant.now(),
									new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
						}
						return;
					}
					this.stats.replies.incrementAndGet();
					if (frame.opcode() == 0x1 && frame.payload().length < 1024) {
						countErrorCode(frame.text());
					}
				}
			}
			catch (IOException ex) {
				// The connection ended.
			}
			finally {
				this.ended.countDown();
			}
		}

		private void countErrorCode(String text) {
			int at = text.indexOf("\"error\":{\"code\":\"");
			if (at >= 0) {
				int start = at + 17;
				int end = text.indexOf('"', start);
				if (end > start) {
					Stats.count(this.stats.errorCodes, text.substring(start, end));
				}
			}
		}

		boolean hasEnded() {
			return this.ended.getCount() == 0;
		}

		boolean awaitEnd(Duration timeout) throws InterruptedException {
			return this.ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		void send(Message message) throws IOException {
			for (byte[] frame : message.frames()) {
				this.out.write(frame);
				this.stats.frames.incrementAndGet();
				this.stats.bytes.addAndGet(frame.length);
			}
			this.out.flush();
			this.stats.messages.incrementAndGet();
			Stats.count(this.stats.kinds, message.kind());
		}

		/** Goes away in one of several ways. */
		void end(Random random) {
			try {
				switch (random.nextInt(4)) {
					case 0 -> {
						this.out.write(frame(true, 0, 0x8, new byte[] { 0x03, (byte) 0xE8 }, random));
						this.out.flush();
						awaitEnd(Duration.ofSeconds(5));
					}
					case 1 -> {
						this.socket.setSoLinger(true, 0);
					}
					case 2 -> {
						this.out.write(new byte[] { (byte) 0x81, (byte) 0xE4, 0, 0, 0, 0, '{', '"' });
						this.out.flush();
					}
					default -> {
					}
				}
			}
			catch (IOException | InterruptedException ex) {
				// Going anyway.
			}
			close();
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Gone.
			}
		}

	}

	/**
	 * Sends random messages over one socket, reconnecting whenever the server closes it.
	 */
	static final class Fuzzer implements Runnable {

		private final int port;

		private final Random random;

		private final Stats stats;

		private final long deadline;

		private final boolean longActionNames;

		Fuzzer(int port, Random random, Stats stats, long deadline, boolean longActionNames) {
			this.port = port;
			this.random = random;
			this.stats = stats;
			this.deadline = deadline;
			this.longActionNames = longActionNames;
		}

		@Override
		public void run() {
			Connection connection = null;
			List<String> recent = new ArrayList<>();
			try {
				while (System.nanoTime() < this.deadline && this.stats.frames.get() < MAX_FRAMES) {
					if (connection != null && connection.hasEnded()) {
						// Closed by the server after valid frames only.
						Stats.count(this.stats.unexpectedCloses, connection.closeCode + " after " + recent);
						connection.close();
						connection = null;
					}
					if (connection == null) {
						connection = new Connection(this.port, this.stats);
						recent.clear();
					}
					Message message = next();
					recent.add(message.kind());
					if (recent.size() > 3) {
						recent.remove(0);
					}
					try {
						connection.send(message);
					}
					catch (IOException ex) {
						if (!message.closes() && !connection.awaitEnd(Duration.ofSeconds(5))) {
							throw ex;
						}
						if (!message.closes()) {
							Stats.count(this.stats.unexpectedCloses, connection.closeCode + " after " + recent);
						}
						connection.close();
						connection = null;
						continue;
					}
					if (message.closes()) {
						if (connection.awaitEnd(Duration.ofSeconds(5))) {
							Stats.count(this.stats.closedBy, message.kind() + "=" + connection.closeCode);
						}
						else {
							Stats.count(this.stats.notClosed, message.kind());
						}
						connection.close();
						connection = null;
					}
				}
			}
			catch (Throwable ex) {
				this.stats.failure.compareAndSet(null, ex);
			}
			finally {
				if (connection != null) {
					connection.end(this.random);
				}
			}
		}

		private Message next() {
			int roll = this.random.nextInt(1000);
			if (roll < 450) {
				return call();
			}
			if (roll < 550) {
				return fragmented();
			}
			if (roll < 610) {
				return Message.of("random-text", text(randomUnicode(this.random.nextInt(200))));
			}
			if (roll < 635) {
				return randomBytes();
			}
			if (roll < 790) {
				return randomJson();
			}
			if (roll < 810) {
				return oversize();
			}
			if (roll < 860) {
				return binary();
			}
			if (roll < 920) {
				return Message.of("ping", frame(true, 0, 0x9, bytes(this.random.nextInt(126)), this.random));
			}
			if (roll < 940) {
				return Message.of("pong", frame(true, 0, 0xA, bytes(this.random.nextInt(126)), this.random));
			}
			if (roll < 960) {
				return nearLimit();
			}
			if (roll < 965) {
				return close();
			}
			if (roll < 980) {
				return violation();
			}
			return call();
		}

		/** A call of a wired action (or not), with valid or invalid input. */
		private Message call() {
			Map<String, Object> call = new LinkedHashMap<>();
			String action;
			// Rare: bye closes the connection, crash logs a stack trace, slow holds up
			// the
			// frames after it for 100 ms, later starts a thread.
			int roll = this.random.nextInt(10_000);
			if (roll < 30) {
				return Message.closing("call-bye", text("{\"action\":\"bye\"}"));
			}
			else if (roll < 35) {
				action = "crash";
			}
			else if (roll < 60) {
				action = "slow";
			}
			else if (roll < 80) {
				action = "later";
			}
			else {
				List<String> actions = List.of("echo", "echo", "echo", "add", "add", "noop", "progress", "remember",
						"recall", "login", "whoami", "logout", "opening", "limited", "missing", "quota", "unknown",
						"command", "none");
				action = actions.get(this.random.nextInt(actions.size()));
			}
			switch (action) {
				case "command" -> call.put("command", this.random.nextBoolean() ? "stop" : "echo");
				case "none" -> {
				}
				case "unknown" -> call.put("action", randomValue(true));
				default -> call.put("action", action);
			}
			switch (action) {
				case "echo", "remember", "login" -> call.put("text", randomText());
				case "add", "slow", "command" -> {
					call.put("a", randomNumber());
					call.put("b", randomNumber());
				}
				default -> {
					if (this.random.nextInt(4) == 0) {
						call.put(randomUnicode(5), randomValue(false));
					}
				}
			}
			if (this.random.nextInt(5) == 0) {
				call.put("correlationId", randomValue(false));
			}
			String frame = json.writeValueAsString(call);
			if (this.random.nextInt(50) == 0) {
				// Truncated: not JSON any more.
				frame = frame.substring(0, this.random.nextInt(frame.length()));
			}
			return Message.of("call-" + action, text(frame));
		}

		private Object randomText() {
			return switch (this.random.nextInt(8)) {
				case 0 -> "";
				case 1 -> " ";
				case 2 -> randomUnicode(21 + this.random.nextInt(50));
				case 3 -> this.random.nextInt();
				case 4 -> Map.of("text", "nested");
				default -> randomUnicode(1 + this.random.nextInt(20));
			};
		}

		private Object randomNumber() {
			return switch (this.random.nextInt(8)) {
				case 0 -> "1";
				case 1 -> this.random.nextDouble();
				case 2 -> Long.MAX_VALUE;
				case 3 -> new java.math.BigInteger(200, this.random);
				default -> this.random.nextInt(2000) - 1000;
			};
		}

		private Object randomValue(boolean asAction) {
			return switch (this.random.nextInt(9)) {
				case 0 -> null;
				case 1 -> this.random.nextBoolean();
				case 2 -> this.random.nextInt();
				case 3 -> List.of(1, "two");
				case 4 -> Map.of("k", "v");
				case 5 ->
					asAction && !this.longActionNames ? randomUnicode(1 + this.random.nextInt(30)) : randomUnicode(300);
				case 6 -> this.random.nextDouble() * 1e300;
				default -> randomUnicode(1 + this.random.nextInt(12));
			};
		}

		/** A valid call split into 2 to 8 frames at random bytes, with pings between. */
		private Message fragmented() {
			Message call = call();
			byte[] payload = payloadOf(call);
			boolean binary = this.random.nextInt(10) == 0;
			int parts = 2 + this.random.nextInt(7);
			List<byte[]> frames = new ArrayList<>();
			int from = 0;
			for (int part = 0; part < parts; part++) {
				int to = (part == parts - 1) ? payload.length
						: from + this.random.nextInt(Math.max(1, payload.length - from + 1));
				byte[] piece = java.util.Arrays.copyOfRange(payload, from, to);
				from = to;
				int opcode = (part == 0) ? (binary ? 0x2 : 0x1) : 0x0;
				frames.add(frame(part == parts - 1, 0, opcode, piece, this.random));
				if (part < parts - 1 && this.random.nextInt(3) == 0) {
					frames.add(frame(true, 0, 0x9, bytes(this.random.nextInt(20)), this.random));
				}
			}
			return new Message((binary ? "fragmented-binary-" : "fragmented-") + call.kind(), frames,
					call.closes() && !binary);
		}

		/** The unmasked payload of a single text frame made by {@link #text(String)}. */
		private static byte[] payloadOf(Message message) {
			byte[] frame = message.frames().get(0);
			int length = frame[1] & 0x7F;
			int offset = 2;
			if (length == 126) {
				length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
				offset = 4;
			}
			byte[] mask = java.util.Arrays.copyOfRange(frame, offset, offset + 4);
			byte[] payload = new byte[length];
			for (int i = 0; i < length; i++) {
				payload[i] = (byte) (frame[offset + 4 + i] ^ mask[i % 4]);
			}
			return payload;
		}

		private Message randomBytes() {
			byte[] payload = bytes(this.random.nextInt(200));
			boolean valid = isUtf8(payload);
			return valid ? Message.of("random-bytes-utf8", frame(true, 0, 0x1, payload, this.random))
					: Message.closing("random-bytes-invalid-utf8", frame(true, 0, 0x1, payload, this.random));
		}

		/**
		 * Random JSON of random depth, and past Jackson's limits: nesting (500 deep) and
		 * number length (1000 digits).
		 */
		private Message randomJson() {
			int roll = this.random.nextInt(10);
			if (roll == 0) {
				// To the default handler, which answers with the frame nested one deeper:
				// right at the limit, that reply is too deep to write ('internal').
				int depth = 1 + this.random.nextInt(3000);
				return Message.of((Math.abs(depth - 500) <= 10) ? "random-json-deep-at-limit" : "random-json-deep",
						text("[".repeat(depth) + "]".repeat(depth)));
			}
			if (roll == 1) {
				int depth = 1 + this.random.nextInt(1500);
				return Message.of("random-json-deep-input", text(
						"{\"action\":\"echo\",\"text\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"));
			}
			if (roll == 2) {
				return Message.of("random-json-long-number",
						text("{\"action\":\"add\",\"a\":" + "9".repeat(1 + this.random.nextInt(3000)) + ",\"b\":1}"));
			}
			StringBuilder text = new StringBuilder();
			appendJson(text, this.random.nextInt(10));
			return Message.of("random-json", text(text.toString()));
		}

		private void appendJson(StringBuilder text, int depth) {
			int roll = (depth == 0) ? 2 + this.random.nextInt(6) : this.random.nextInt(8);
			switch (roll) {
				case 0 -> {
					text.append('{');
					int fields = this.random.nextInt(5);
					for (int i = 0; i < fields; i++) {
						if (i > 0) {
							text.append(',');
						}
						String name = (this.random.nextInt(4) == 0) ? "action" : randomUnicode(6);
						text.append(json.writeValueAsString(name)).append(':');
						if (name.equals("action") && !this.longActionNames) {
							text.append(json.writeValueAsString(randomUnicode(this.random.nextInt(30))));
						}
						else {
							appendJson(text, depth - 1);
						}
					}
					text.append('}');
				}
				case 1 -> {
					text.append('[');
					int items = this.random.nextInt(5);
					for (int i = 0; i < items; i++) {
						if (i > 0) {
							text.append(',');
						}
						appendJson(text, depth - 1);
					}
					text.append(']');
				}
				case 2 -> text.append(json.writeValueAsString(randomUnicode(this.random.nextInt(30))));
				case 3 -> text.append(this.random.nextLong());
				case 4 -> text.append(this.random.nextDouble()).append("e").append(this.random.nextInt(800) - 400);
				case 5 -> text.append(this.random.nextBoolean());
				case 6 -> text.append("null");
				default -> text.append(json.writeValueAsString(
						List.of("echo", "add", "noop", "progress", "whoami").get(this.random.nextInt(5))));
			}
			if (this.random.nextInt(20) == 0) {
				text.append(" \n\t");
			}
		}

		/**
		 * Over the limits: in one frame, in UTF-8 bytes but not characters, in fragments.
		 */
		private Message oversize() {
			switch (this.random.nextInt(5)) {
				case 0 -> {
					String filler = "x".repeat(TEXT_LIMIT + this.random.nextInt(TEXT_LIMIT));
					return Message.of("oversize-text", text("{\"action\":\"echo\",\"text\":\"" + filler + "\"}"));
				}
				case 1 -> {
					// 3 bytes per character: under the limit in characters, over it in
					// bytes
					String filler = "€".repeat(TEXT_LIMIT / 3 + 1 + this.random.nextInt(TEXT_LIMIT / 3));
					return Message.of("oversize-utf8", text("{\"action\":\"echo\",\"text\":\"" + filler + "\"}"));
				}
				case 2 -> {
					List<byte[]> frames = new ArrayList<>();
					int parts = 2 + this.random.nextInt(6);
					int size = TEXT_LIMIT / parts + 1 + this.random.nextInt(4096);
					for (int part = 0; part < parts; part++) {
						byte[] piece = "y".repeat(size).getBytes(StandardCharsets.US_ASCII);
						frames.add(frame(part == parts - 1, 0, (part == 0) ? 0x1 : 0x0, piece, this.random));
					}
					return new Message("oversize-fragmented", frames, false);
				}
				case 3 -> {
					return Message.of("oversize-binary",
							frame(true, 0, 0x2, bytes(BINARY_LIMIT + 1 + this.random.nextInt(4096)), this.random));
				}
				default -> {
					// Text that is not JSON, just over the limit.
					return Message.of("oversize-random-text", text(randomUnicode(TEXT_LIMIT / 3 + 1)
							+ "x".repeat(TEXT_LIMIT - TEXT_LIMIT / 3 + this.random.nextInt(100))));
				}
			}
		}

		/** Right at the limits, on both sides. */
		private Message nearLimit() {
			int overhead = "{\"action\":\"echo\",\"text\":\"\"}".length();
			int size = TEXT_LIMIT - overhead + this.random.nextInt(3) - 1;
			String frame = "{\"action\":\"echo\",\"text\":\"" + "z".repeat(size) + "\"}";
			return Message.of((frame.length() <= TEXT_LIMIT) ? "limit-at" : "limit-over", text(frame));
		}

		private Message binary() {
			byte[] payload = bytes(this.random.nextInt(500));
			if (this.random.nextInt(4) == 0 && payload.length > 1) {
				int split = 1 + this.random.nextInt(payload.length - 1);
				return new Message("binary-fragmented", List.of(
						frame(false, 0, 0x2, java.util.Arrays.copyOfRange(payload, 0, split), this.random),
						frame(true, 0, 0x0, java.util.Arrays.copyOfRange(payload, split, payload.length), this.random)),
						false);
			}
			return Message.of("binary", frame(true, 0, 0x2, payload, this.random));
		}

		/** A close frame from the client: the server answers it and closes. */
		private Message close() {
			byte[] payload = switch (this.random.nextInt(3)) {
				case 0 -> new byte[0];
				case 1 -> new byte[] { 0x03, (byte) 0xE8 };
				default -> {
					byte[] reason = "going".getBytes(StandardCharsets.UTF_8);
					byte[] withCode = new byte[2 + reason.length];
					withCode[0] = 0x0F;
					withCode[1] = (byte) 0xA0;
					System.arraycopy(reason, 0, withCode, 2, reason.length);
					yield withCode;
				}
			};
			return Message.closing("close", frame(true, 0, 0x8, payload, this.random));
		}

		/** A frame the protocol forbids: the server must fail the connection. */
		private Message violation() {
			byte[] call = "{\"action\":\"echo\",\"text\":\"v\"}".getBytes(StandardCharsets.UTF_8);
			return switch (this.random.nextInt(10)) {
				case 0 -> Message.closing("violation-reserved-bits",
						frame(true, 1 + this.random.nextInt(7), 0x1, call, this.random));
				case 1 -> {
					int[] reserved = { 0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF };
					yield Message.closing("violation-reserved-opcode",
							frame(true, 0, reserved[this.random.nextInt(reserved.length)], call, this.random));
				}
				case 2 -> Message.closing("violation-continuation-first", frame(true, 0, 0x0, call, this.random));
				case 3 -> Message.closing("violation-new-message-in-fragments",
						frame(false, 0, 0x1, new byte[] { '{' }, this.random), frame(true, 0, 0x1, call, this.random));
				case 4 -> Message.closing("violation-long-ping",
						frame(true, 0, 0x9, bytes(126 + this.random.nextInt(200)), this.random));
				case 5 -> Message.closing("violation-fragmented-ping", frame(false, 0, 0x9, bytes(4), this.random));
				case 6 -> Message.closing("violation-unmasked", unmasked(call));
				case 7 -> {
					int[] codes = { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000 };
					int code = codes[this.random.nextInt(codes.length)];
					yield Message.closing("violation-close-code",
							frame(true, 0, 0x8, new byte[] { (byte) (code >> 8), (byte) code }, this.random));
				}
				case 8 ->
					Message.closing("violation-close-one-byte", frame(true, 0, 0x8, new byte[] { 0x03 }, this.random));
				default -> Message.closing("violation-binary-in-text-fragments",
						frame(false, 0, 0x1, new byte[] { '{' }, this.random), frame(true, 0, 0x2, call, this.random));
			};
		}

		private byte[] text(String text) {
			return frame(true, 0, 0x1, text.getBytes(StandardCharsets.UTF_8), this.random);
		}

		private byte[] bytes(int length) {
			byte[] bytes = new byte[length];
			this.random.nextBytes(bytes);
			return bytes;
		}

		/** Random text from ASCII, Latin, Greek, CJK and emoji (no lone surrogates). */
		private String randomUnicode(int length) {
			StringBuilder text = new StringBuilder(length);
			for (int i = 0; i < length; i++) {
				int codePoint = switch (this.random.nextInt(6)) {
					case 0 -> 0x20 + this.random.nextInt(0x5F);
					case 1 -> 0xA1 + this.random.nextInt(0x15F);
					case 2 -> 0x391 + this.random.nextInt(0x30);
					case 3 -> 0x4E00 + this.random.nextInt(0x5000);
					case 4 -> 0x1F600 + this.random.nextInt(0x50);
					default -> this.random.nextInt(0x20);
				};
				text.appendCodePoint(codePoint);
			}
			return text.toString();
		}

	}

	private static boolean isUtf8(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/** A masked frame with a random mask key. */
	static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, Random random) {
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
		writeLength(frame, 0x80, payload.length);
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/** A text frame without a mask, which a client must never send. */
	static byte[] unmasked(byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
		frame.write(0x81);
		writeLength(frame, 0, payload.length);
		frame.writeBytes(payload);
		return frame.toByteArray();
	}

	private static void writeLength(ByteArrayOutputStream frame, int maskBit, int length) {
		if (length < 126) {
			frame.write(maskBit | length);
		}
		else if (length <= 0xFFFF) {
			frame.write(maskBit | 126);
			frame.write(length >> 8);
			frame.write(length);
		}
		else {
			frame.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) length >> shift));
			}
		}
	}

}
