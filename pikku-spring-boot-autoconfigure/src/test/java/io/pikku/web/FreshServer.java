package io.pikku.web;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;

/**
 * The test channels ({@link TestChannels}) served by a JVM of their own, started for one
 * test: a server whose JIT has seen no traffic yet, as right after a deploy.
 */
final class FreshServer implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("FRESH_SERVER_PORT=(\\d+)");

	private final Process process;

	private final Path log;

	private final int port;

	private FreshServer(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/**
	 * Starts the server and waits until it listens.
	 * @param arguments Spring Boot command-line arguments, e.g.
	 * {@code --spring.main.web-application-type=reactive}
	 * @return the running server
	 */
	static FreshServer start(String... arguments) throws IOException, InterruptedException {
		Path log = Files.createTempFile("fresh-server", ".log");
		List<String> command = new ArrayList<>(
				List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx1g",
						"-cp", System.getProperty("java.class.path"), FreshServer.class.getName(), "--server.port=0"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			Matcher port = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
			if (port.find()) {
				return new FreshServer(process, log, Integer.parseInt(port.group(1)));
			}
			if (!process.isAlive()) {
				break;
			}
			Thread.sleep(50);
		}
		process.destroyForcibly();
		throw new IllegalStateException("The server did not start:\n" + Files.readString(log));
	}

	int port() {
		return this.port;
	}

	/**
	 * What the server wrote so far.
	 * @return its log
	 */
	String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	/**
	 * The server's threads now, for a failure message.
	 * @return a thread dump
	 */
	String threadDump() {
		try {
			Process jcmd = new ProcessBuilder(
					System.getProperty("java.home") + File.separator + "bin" + File.separator + "jcmd",
					String.valueOf(this.process.pid()), "Thread.print")
				.redirectErrorStream(true)
				.start();
			String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
			return dump;
		}
		catch (IOException ex) {
			return "No thread dump: " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "No thread dump: interrupted";
		}
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		Files.deleteIfExists(this.log);
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(TestChannels.class);
		application.addListeners((WebServerInitializedEvent event) -> System.out
			.println("FRESH_SERVER_PORT=" + event.getWebServer().getPort()));
		application.run(args);
	}

}
