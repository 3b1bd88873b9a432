package io.pikku.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.pikku.bench.server.BenchServer;
import io.pikku.bench.server.ServerKind;

/**
 * A benchmark server in its own JVM, so that its heap and threads are its own and the
 * load client does not share them.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(120);

	/** Whether servers record a flight recording (JFR) of their run. */
	static volatile boolean recordFlights;

	private final ServerKind kind;

	private final int port;

	private final Process process;

	private final Path log;

	private ServerProcess(ServerKind kind, int port, Process process, Path log) {
		this.kind = kind;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a server; {@link #awaitReady()} waits until it listens.
	 */
	static ServerProcess start(ServerKind kind, String heap, Path logs, String... arguments) throws IOException {
		int port = freePort();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
				"-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
				kind.name(), "--server.port=" + port, "--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--server.tomcat.max-connections=20000", "--server.tomcat.accept-count=1000",
				"--pikku.max-connections=20000"));
		command.addAll(List.of(arguments));
		Files.createDirectories(logs);
		String name = kind.name().toLowerCase(Locale.ROOT) + "-" + port;
		if (recordFlights) {
			command.add(1, "-XX:StartFlightRecording=settings=profile,filename="
					+ logs.resolve(name + ".jfr").toAbsolutePath());
		}
		Path log = logs.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		return new ServerProcess(kind, port, process, log);
	}

	ServerProcess awaitReady() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.kind + " server exited with " + this.process.exitValue() + ":\n"
						+ Files.readString(this.log, StandardCharsets.UTF_8));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				return this;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException(this.kind + " server did not listen within " + STARTUP);
	}

	/** What the server's JVM has used so far. */
	Usage usage() {
		return Usage.of(this.process.toHandle());
	}

	ServerKind kind() {
		return this.kind;
	}

	URI webSocket() {
		return URI.create("ws://127.0.0.1:" + this.port + this.kind.path());
	}

	URI heap() {
		return URI.create("http://127.0.0.1:" + this.port + "/bench/heap");
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
