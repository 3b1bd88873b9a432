package io.pikku.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.pikku.bench.server.BenchServer;
import io.pikku.bench.server.ServerKind;
import io.pikku.sample.SampleApplication;
import tools.jackson.databind.json.JsonMapper;

/**
 * A benchmark server in its own JVM, so that its heap and threads are its own and the
 * load client does not share them.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(120);

	/**
	 * The jars that {@code spring-boot-starter-actuator} and
	 * {@code micrometer-registry-prometheus} add, by the start of their names.
	 */
	private static final List<String> OBSERVABILITY = List.of("spring-boot-actuator", "spring-boot-health",
			"spring-boot-micrometer-", "spring-boot-starter-actuator", "spring-boot-starter-micrometer-",
			"micrometer-registry-", "micrometer-jakarta9", "prometheus-metrics-");

	/**
	 * The jars that only the sample app brings (Spring Security, its JWT support, YAML
	 * for the AsyncAPI document), by the start of their names: the other servers do not
	 * depend on it.
	 */
	private static final List<String> SAMPLE = List.of("spring-boot-starter-security", "spring-boot-security",
			"spring-security-", "spring-boot-starter-oauth2-", "nimbus-jose-jwt", "jackson-dataformat-yaml",
			"snakeyaml-engine");

	/** A demo user of the sample app with role {@code ADMIN}, for its actuator. */
	private static final String ADMIN = "{\"username\":\"admin\",\"password\":\"admin-pass\"}";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** How many servers this JVM has started: names their logs. */
	private static final AtomicInteger started = new AtomicInteger();

	/** Whether servers record a flight recording (JFR) of their run. */
	static volatile boolean recordFlights;

	private final ServerKind kind;

	private final Process process;

	private final Path log;

	private final Path portFile;

	/** The port the server listens on, known once {@link #awaitReady()} has returned. */
	private volatile int port;

	private ServerProcess(ServerKind kind, Process process, Path log, Path portFile) {
		this.kind = kind;
		this.process = process;
		this.log = log;
		this.portFile = portFile;
	}

	/**
	 * Starts a server; {@link #awaitReady()} waits until it listens.
	 */
	static ServerProcess start(ServerKind kind, String heap, Path logs, String... arguments) throws IOException {
		return start(kind, heap, List.of(), logs, arguments);
	}

	/**
	 * Starts a server with the heap and JVM options of a run; {@link #awaitReady()} waits
	 * until it listens.
	 */
	static ServerProcess start(ServerKind kind, Settings settings, Path logs, String... arguments) throws IOException {
		return start(kind, settings.serverHeap(), settings.serverOptions(), logs, arguments);
	}

	private static ServerProcess start(ServerKind kind, String heap, List<String> options, Path logs,
			String... arguments) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
		command.addAll(options);
		command.addAll(List.of("-Djava.awt.headless=true", "-cp", classPath(kind), BenchServer.class.getName(),
				kind.name(), "--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--server.tomcat.max-connections=20000", "--server.tomcat.accept-count=1000",
				"--pikku.max-connections=20000"));
		command.addAll(List.of(arguments));
		Files.createDirectories(logs);
		String name = kind.name().toLowerCase(Locale.ROOT) + "-" + started.incrementAndGet();
		Path portFile = logs.resolve(name + ".port").toAbsolutePath();
		Files.deleteIfExists(portFile);
		command.add(1, "-D" + BenchServer.PORT_FILE + "=" + portFile);
		if (recordFlights) {
			command.add(1, "-XX:StartFlightRecording=settings=profile,filename="
					+ logs.resolve(name + ".jfr").toAbsolutePath());
			// Otherwise a sample in compiled code is put at the nearest safepoint, often
			// in another inlined method than the one running.
			command.addAll(1, List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
		}
		Path log = logs.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		return new ServerProcess(kind, process, log, portFile);
	}

	/**
	 * Waits until the server listens: it binds a port the system picks (a port picked
	 * here and handed over could be taken by another socket in between) and writes it to
	 * a file once it listens.
	 */
	ServerProcess awaitReady() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.kind + " server exited with " + this.process.exitValue() + ":\n"
						+ Files.readString(this.log, StandardCharsets.UTF_8));
			}
			if (Files.exists(this.portFile)) {
				this.port = Integer.parseInt(Files.readString(this.portFile).trim());
				return this;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(this.kind + " server did not listen within " + STARTUP);
	}

	/**
	 * The class path of a server: this JVM's, without actuator, Micrometer's Spring Boot
	 * integration and the Prometheus registry for a server that is not
	 * {@linkplain ServerKind#observed() observed}, and without the sample app and the
	 * jars only it brings for a server that is not the sample. Without the former Boot
	 * defines no {@code MeterRegistry} or {@code ObservationRegistry}, and Pikku's
	 * metrics, observation and endpoint back off, as in an application that does not
	 * depend on them.
	 */
	static String classPath(ServerKind kind) {
		List<String> left = new ArrayList<>();
		if (!kind.observed()) {
			left.addAll(OBSERVABILITY);
		}
		if (!kind.sample()) {
			left.addAll(SAMPLE);
		}
		Path sample = kind.sample() ? null : sampleLocation();
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !Path.of(entry).toAbsolutePath().equals(sample))
			.filter((entry) -> left.stream().noneMatch(Path.of(entry).getFileName().toString()::startsWith))
			.collect(Collectors.joining(File.pathSeparator));
	}

	/** The sample app's jar, or its classes folder. */
	static Path sampleLocation() {
		try {
			return Path.of(SampleApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				.toAbsolutePath();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
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

	/**
	 * The server's heap after a full collection.
	 * @return the bytes used
	 */
	long usedHeap() {
		HttpResponse<String> response = get("/bench/heap");
		if (response.statusCode() != 200) {
			throw new IllegalStateException(this.kind + " answered " + response.statusCode() + " for its heap");
		}
		return JSON.readTree(response.body()).path("used").asLong();
	}

	/**
	 * Checks that the server runs as its kind says: observed, it serves Prometheus with
	 * Pikku's call timers (once it has answered an {@code echo} call); not observed, it
	 * has no actuator. The canned-reply server serves no HTTP and is not checked.
	 * @throws IllegalStateException if it does not
	 */
	void checkObservability() {
		if (!this.kind.servesHeap()) {
			return;
		}
		HttpResponse<String> response = get("/actuator/prometheus");
		if (this.kind.observed()) {
			if (response.statusCode() != 200 || !response.body().contains("pikku_calls_seconds_count")
					|| !response.body().contains("action=\"echo\"")) {
				throw new IllegalStateException(this.kind + " should be observed, but " + response.uri() + " answered "
						+ response.statusCode() + " without Pikku's echo calls");
			}
		}
		else if (response.statusCode() != 404) {
			throw new IllegalStateException(this.kind + " should run without actuator, but " + response.uri()
					+ " answered " + response.statusCode());
		}
	}

	/**
	 * A GET to the server; to the sample app as its admin, with a token from its
	 * {@code /api/login} (a fresh one each time: tokens expire, a full run may not).
	 */
	private HttpResponse<String> get(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(http(path));
		if (this.kind.sample()) {
			HttpResponse<String> login = send(HttpRequest.newBuilder(http("/api/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(ADMIN)));
			if (login.statusCode() != 200) {
				throw new IllegalStateException(this.kind + " refused the admin's login: " + login.statusCode());
			}
			request.header("Authorization", "Bearer " + JSON.readTree(login.body()).path("token").asString());
		}
		return send(request);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private URI http(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
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

}
