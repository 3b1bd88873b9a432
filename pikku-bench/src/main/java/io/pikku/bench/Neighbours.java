package io.pikku.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.pikku.bench.server.ServerKind;
import io.pikku.bench.wire.Frames;
import org.HdrHistogram.Histogram;

/**
 * What one hostile client costs a well-behaved neighbour. The sample app as it ships
 * (actuator, metrics, Spring Security) runs in its own JVM on each stack; a witness
 * connection calls {@code echo} 100 times a second and records its round trips while a
 * hostile client on {@code /echo} sends one kind of bad input as fast as the server takes
 * it (on one connection, or more with {@code --sockets}). Valid calls at full speed are
 * measured the same way, as the reference: a hostile frame should cost a neighbour no
 * more than a valid one does.
 *
 * <p>
 * The hostile client runs in a process of its own at the lowest priority ({@code nice}),
 * as if on another machine: on a small machine it would otherwise take the CPU from the
 * witness and measure its own scheduling. The JIT is warmed with every load first, then
 * the witness's quiet round trips are measured alone. Each load's row gives the witness's
 * p50, p99 and worst round trip, its p99 against the quiet p99, what the hostile client
 * sent, the server's CPU and how the server closed the hostile connections.
 *
 * <p>
 * Run with
 * {@code ./mvnw -pl pikku-bench -am -DskipTests -Pbenchmark verify -Dbench.main=io.pikku.bench.Neighbours -Dbench.args="--measure=8s --servers=PIKKU,PIKKU_REACTIVE --loads=a,b --sockets=4 --jfr"}
 * (every argument optional).
 */
final class Neighbours {

	private static final byte[] MASK = { 0x11, 0x22, 0x33, 0x44 };

	private static final int WITNESS_RATE = 100;

	/**
	 * Connections of the hostile client: Reactor Netty's event loops on up to 4 cores.
	 */

	/** Each kind of input the hostile client sends, by name. */
	private static final List<Load> LOADS = List.of(
			new Load("valid-calls", (random) -> text("{\"action\":\"echo\",\"text\":\"hello\"}"), false),
			new Load("not-json", (random) -> text(randomText(random, 200)), false),
			new Load("errors", (random) -> text(switch (random.nextInt(4)) {
				case 0 -> "{\"action\":\"nope-" + random.nextInt() + "\"}";
				case 1 -> "{\"action\":\"echo\",\"text\":\"\"}";
				case 2 -> "{\"action\":\"echo\",\"text\":{\"nested\":[1,2,3]}}";
				default -> "{\"action\":\"subscribe\",\"topic\":\"pikku:users\"}";
			}), false), new Load("deep-json", (random) -> text("[".repeat(3000) + "]".repeat(3000)), false),
			new Load("long-numbers", (random) -> text(switch (random.nextInt(4)) {
				case 0 -> "{\"n\":" + "9".repeat(999) + "}";
				case 1 -> "{\"n\":1e999,\"m\":-1e999,\"o\":1e-400}";
				case 2 -> "{\"n\":" + "7".repeat(3000) + "}";
				default -> "{\"n\":0." + "3".repeat(998) + "e999999999}";
			}), false), new Load("oversize-fragmented", Neighbours::oversizeFragmented, false),
			new Load("binary", (random) -> frame(0x2, bytes(random, 500)), false),
			new Load("pings", (random) -> frame(0x9, bytes(random, 125)), false),
			new Load("handshake-churn", (random) -> frame(0x3, new byte[] { 1 }), true));

	private Neighbours() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 5 && args[0].equals("--hostile")) {
			Load load = LOADS.stream()
				.filter((candidate) -> candidate.name().equals(args[2]))
				.findFirst()
				.orElseThrow();
			Sent sent = hostile(Integer.parseInt(args[1]), load, Duration.parse(args[3]), Integer.parseInt(args[4]));
			System.out.println(sent.frames() + " " + sent.connections() + " " + sent.closeCodes());
			return;
		}
		Duration measure = Duration.ofSeconds(8);
		List<ServerKind> servers = List.of(ServerKind.PIKKU, ServerKind.PIKKU_REACTIVE);
		List<Load> loads = LOADS;
		Path output = Path.of("..");
		int sockets = 1;
		// -Dbench.args="--measure=8s --loads=pings" arrives as one argument.
		for (String arg : Arrays.stream(args).flatMap((part) -> Arrays.stream(part.trim().split("\\s+"))).toList()) {
			if (arg.startsWith("--measure=")) {
				measure = Duration.parse("PT" + arg.substring("--measure=".length()));
			}
			else if (arg.startsWith("--servers=")) {
				servers = Arrays.stream(arg.substring("--servers=".length()).split(","))
					.map(ServerKind::valueOf)
					.toList();
			}
			else if (arg.startsWith("--loads=")) {
				List<String> names = List.of(arg.substring("--loads=".length()).split(","));
				loads = LOADS.stream().filter((load) -> names.contains(load.name())).toList();
			}
			else if (arg.equals("--jfr")) {
				ServerProcess.recordFlights = true;
			}
			else if (arg.startsWith("--sockets=")) {
				sockets = Integer.parseInt(arg.substring("--sockets=".length()));
			}
			else if (arg.startsWith("--output=")) {
				output = Path.of(arg.substring("--output=".length()));
			}
		}
		Path logs = output.resolve("pikku-bench").resolve("target").resolve("neighbours");
		for (ServerKind kind : servers) {
			try (ServerProcess server = ServerProcess.start(kind, "1g", logs).awaitReady()) {
				run(server, loads, measure, sockets);
			}
		}
	}

	private static void run(ServerProcess server, List<Load> loads, Duration measure, int sockets) throws Exception {
		int port = server.webSocket().getPort();
		try (Witness witness = new Witness(port)) {
			// Warm-up: every load once, with the witness calling, so that what is
			// measured
			// below runs compiled code on both sides.
			for (Load load : loads) {
				witness.take();
				inProcess(port, load, Duration.ofSeconds(2), sockets);
			}
			witness.take();
			Thread.sleep(measure.toMillis());
			Histogram quiet = witness.take();
			System.out.printf("%n%s: witness quiet: %d calls, p50 %d µs, p99 %d µs, max %d µs%n", server.kind().label(),
					quiet.getTotalCount(), quiet.getValueAtPercentile(50), quiet.getValueAtPercentile(99),
					quiet.getMaxValue());
			System.out.printf("%-22s %8s %8s %9s %8s %12s %10s  %s%n", "hostile load", "p50 µs", "p99 µs", "max µs",
					"p99/quiet", "frames sent", "server CPU", "connections closed by the server, by code");
			for (Load load : loads) {
				Usage before = server.usage();
				long started = System.nanoTime();
				String sent = inProcess(port, load, measure, sockets);
				double seconds = (System.nanoTime() - started) / 1e9;
				Histogram loaded = witness.take();
				double cpu = (server.usage().cpuNanos() - before.cpuNanos()) / 1e9 / seconds;
				System.out.printf("%-22s %8d %8d %9d %8.1fx %12d %9.0f%%  %s%n", load.name(),
						loaded.getValueAtPercentile(50), loaded.getValueAtPercentile(99), loaded.getMaxValue(),
						loaded.getValueAtPercentile(99) / (double) Math.max(1, quiet.getValueAtPercentile(99)),
						Long.parseLong(sent.split(" ")[0]), cpu * 100, sent.substring(sent.indexOf('{')));
			}
			Thread.sleep(measure.toMillis());
			Histogram after = witness.take();
			System.out.printf("%-22s %8d %8d %9d %8.1fx%n", "quiet-again", after.getValueAtPercentile(50),
					after.getValueAtPercentile(99), after.getMaxValue(),
					after.getValueAtPercentile(99) / (double) Math.max(1, quiet.getValueAtPercentile(99)));
			witness.check();
		}
	}

	/**
	 * Runs the hostile client in a process of its own at the lowest priority: like a
	 * client on another machine, it takes no CPU time from the witness (or the server)
	 * that they want, only what is left.
	 * @return what it printed: frames sent, connections opened, close codes
	 */
	private static String inProcess(int port, Load load, Duration duration, int sockets) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder("nice", "-n", "19", java, "-cp", System.getProperty("java.class.path"),
				Neighbours.class.getName(), "--hostile", String.valueOf(port), load.name(), duration.toString(),
				String.valueOf(sockets))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("The hostile client failed: " + output);
		}
		return output;
	}

	/**
	 * One hostile client on {@code /echo} for a while, on one or more connections at once
	 * (4 make sure that one shares the witness's event loop on Reactor Netty): each sends
	 * the load's messages as fast as the server reads them, reads and drops what comes
	 * back, and opens a new connection when the server closes one.
	 */
	private static Sent hostile(int port, Load load, Duration duration, int sockets) throws Exception {
		long deadline = System.nanoTime() + duration.toNanos();
		AtomicLong frames = new AtomicLong();
		AtomicLong connections = new AtomicLong();
		Map<Integer, AtomicLong> closeCodes = new ConcurrentSkipListMap<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < sockets; i++) {
			Random random = new Random(42 + i);
			Thread socket = new Thread(() -> {
				while (System.nanoTime() < deadline) {
					connections.incrementAndGet();
					attack(port, load, random, deadline, frames, closeCodes);
				}
			}, "hostile-" + i);
			socket.start();
			threads.add(socket);
		}
		for (Thread socket : threads) {
			socket.join();
		}
		return new Sent(frames.get(), connections.get(), closeCodes);
	}

	/** One hostile connection, until the server closes it or the deadline. */
	private static void attack(int port, Load load, Random random, long deadline, AtomicLong frames,
			Map<Integer, AtomicLong> closeCodes) {
		Thread reader = null;
		try (Socket socket = open(port)) {
			AtomicBoolean ended = new AtomicBoolean();
			reader = new Thread(() -> drain(socket, ended, closeCodes), "hostile-reader");
			reader.setDaemon(true);
			reader.start();
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
			while (!ended.get() && System.nanoTime() < deadline) {
				for (byte[] frame : load.messages().apply(random)) {
					out.write(frame);
					frames.incrementAndGet();
				}
				out.flush();
				if (load.closes()) {
					reader.join(5_000);
				}
			}
		}
		catch (IOException ex) {
			// The server closed the connection while we wrote: open another.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (reader != null) {
			try {
				reader.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Opens a WebSocket on {@code /echo} over a plain socket. */
	private static Socket open(int port) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout(10_000);
		socket.getOutputStream()
			.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				break;
			}
			head.append((char) next);
		}
		if (!head.toString().startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IOException("Upgrade refused: " + head);
		}
		return socket;
	}

	/**
	 * Reads and drops what the server sends until the connection ends, and counts the
	 * code of the server's close frame (-1: ended without one).
	 */
	private static void drain(Socket socket, AtomicBoolean ended, Map<Integer, AtomicLong> closeCodes) {
		int code = -1;
		try {
			socket.setSoTimeout(0);
			InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
			while (true) {
				Frame frame = Frame.read(in);
				if (frame.opcode() == Frames.CLOSE) {
					byte[] payload = frame.payload();
					code = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
				}
			}
		}
		catch (IOException ex) {
			// Ended.
		}
		closeCodes.computeIfAbsent(code, (key) -> new AtomicLong()).incrementAndGet();
		ended.set(true);
	}

	private static List<byte[]> oversizeFragmented(Random random) {
		// 1.25 MiB of text in 64 KiB fragments: over every message limit.
		List<byte[]> frames = new ArrayList<>();
		byte[] piece = "y".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < 20; i++) {
			byte[] frame = Frames.encode((i == 0) ? Frames.TEXT : Frames.CONTINUATION, piece, MASK);
			if (i < 19) {
				frame[0] &= 0x7F;
			}
			frames.add(frame);
		}
		return frames;
	}

	private static List<byte[]> text(String text) {
		return frame(Frames.TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	private static List<byte[]> frame(int opcode, byte[] payload) {
		return List.of(Frames.encode(opcode, payload, MASK));
	}

	private static byte[] bytes(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static String randomText(Random random, int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.appendCodePoint(0x20 + random.nextInt(0x250));
		}
		return text.toString();
	}

	/**
	 * A kind of hostile input.
	 *
	 * @param name its name in the report
	 * @param messages the frames of one message
	 * @param closes whether the server closes the connection for it
	 */
	record Load(String name, Function<Random, List<byte[]>> messages, boolean closes) {
	}

	/**
	 * What the hostile client did.
	 *
	 * @param frames the frames it sent
	 * @param connections the connections it opened
	 * @param closeCodes how the server closed them, by close code (-1: without a close
	 * frame; the last one is closed by the client)
	 */
	record Sent(long frames, long connections, Map<Integer, AtomicLong> closeCodes) {
	}

	/** A frame from the server (unmasked). */
	record Frame(int opcode, byte[] payload) {

		/** Reads the next frame; throws {@link EOFException} at the end of the stream. */
		static Frame read(InputStream in) throws IOException {
			int first = in.read();
			int second = in.read();
			if (first < 0 || second < 0) {
				throw new EOFException();
			}
			long length = second & 0x7F;
			if (length == 126) {
				length = (in.read() << 8) | in.read();
			}
			else if (length == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | in.read();
				}
			}
			return new Frame(first & 0x0F, in.readNBytes((int) length));
		}

	}

	/**
	 * A well-behaved client: one {@code echo} call at a time, paced, each round trip
	 * recorded in microseconds.
	 */
	static final class Witness implements AutoCloseable {

		private static final byte[] CALL = Frames.encode(Frames.TEXT,
				"{\"action\":\"echo\",\"text\":\"w\"}".getBytes(StandardCharsets.UTF_8), MASK);

		private static final String REPLY = "{\"action\":\"echo\",\"text\":\"w\"}";

		private final Socket socket;

		private final Thread thread;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong failures = new AtomicLong();

		private volatile Throwable failure;

		private Histogram histogram = new Histogram(60_000_000L, 3);

		Witness(int port) throws IOException {
			this.socket = open(port);
			this.socket.setTcpNoDelay(true);
			this.thread = new Thread(this::call, "witness");
			this.thread.start();
		}

		private void call() {
			try {
				OutputStream out = this.socket.getOutputStream();
				InputStream in = this.socket.getInputStream();
				long interval = 1_000_000_000L / WITNESS_RATE;
				long next = System.nanoTime();
				while (this.running.get()) {
					long start = System.nanoTime();
					out.write(CALL);
					out.flush();
					String reply = readText(in);
					long micros = (System.nanoTime() - start) / 1_000;
					if (!REPLY.equals(reply)) {
						this.failures.incrementAndGet();
					}
					synchronized (this) {
						this.histogram.recordValue(Math.min(micros, 60_000_000L));
					}
					next += interval;
					long sleep = next - System.nanoTime();
					if (sleep > 0) {
						Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
					}
					else {
						next = System.nanoTime();
					}
				}
			}
			catch (Throwable ex) {
				if (this.running.get()) {
					this.failure = ex;
				}
			}
		}

		/** The round trips since the last call, and a fresh start. */
		synchronized Histogram take() {
			Histogram taken = this.histogram;
			this.histogram = new Histogram(60_000_000L, 3);
			return taken;
		}

		void check() {
			if (this.failure != null || this.failures.get() > 0) {
				throw new IllegalStateException("The witness failed (" + this.failures.get() + " wrong replies)",
						this.failure);
			}
		}

		private static String readText(InputStream in) throws IOException {
			while (true) {
				Frame frame = Frame.read(in);
				if (frame.opcode() == Frames.TEXT) {
					return new String(frame.payload(), StandardCharsets.UTF_8);
				}
			}
		}

		@Override
		public void close() throws Exception {
			this.running.set(false);
			this.socket.close();
			this.thread.join(5_000);
		}

	}

}
