package io.pikku.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import io.pikku.sample.SampleApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one benchmark server: {@code pikku} (the sample app, whose {@code echo} channel
 * the client talks to), {@code raw} (a bare {@code TextWebSocketHandler} doing the same
 * JSON work) or {@code stomp} (Spring STOMP with the simple broker) on Tomcat;
 * {@code pikku_reactive} (the sample app) or {@code webflux} (a bare WebFlux
 * {@code WebSocketHandler}) on Reactor Netty. Every server is a Spring Boot application
 * with the {@link HeapEndpoint} besides but {@code canned} (the load client's ceiling,
 * plain Netty); the first argument picks it, the rest are Spring Boot arguments.
 */
public final class BenchServer {

	private static final String PORT = "--server.port=";

	/**
	 * The system property naming the file in which a server started by {@link #main}
	 * writes the port it listens on, once it listens.
	 */
	public static final String PORT_FILE = "bench.port-file";

	private BenchServer() {
	}

	public static void main(String[] args) throws InterruptedException {
		ServerKind kind = ServerKind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
		if (kind == ServerKind.CANNED) {
			String port = Arrays.stream(args).filter((arg) -> arg.startsWith(PORT)).findFirst().orElseThrow();
			CannedReplyServer.run(Integer.parseInt(port.substring(PORT.length())), BenchServer::listening);
			return;
		}
		SpringApplication spring = application(kind);
		spring.addListeners((ApplicationListener<WebServerInitializedEvent>) (event) -> {
			if (event.getApplicationContext().getServerNamespace() == null) {
				// the application's own server, not a separate management server
				listening(event.getWebServer().getPort());
			}
		});
		spring.run(arguments(kind, Arrays.copyOfRange(args, 1, args.length)));
	}

	/**
	 * Tells whoever started this JVM the port it listens on: with port 0 the system picks
	 * one no other socket uses, where a port picked beforehand and handed to the server
	 * may be taken in between (the load client's connections and Redis Cluster's bus
	 * ports take ports from the same range).
	 */
	private static void listening(int port) {
		String file = System.getProperty(PORT_FILE);
		if (file == null) {
			return;
		}
		try {
			Path target = Path.of(file);
			Path written = target.resolveSibling(target.getFileName() + ".tmp");
			Files.writeString(written, Integer.toString(port));
			Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs a server in this JVM.
	 * @param kind which server
	 * @param args Spring Boot arguments, e.g. {@code --server.port=0}
	 * @return the running application
	 */
	public static ConfigurableApplicationContext run(ServerKind kind, String... args) {
		return application(kind).run(arguments(kind, args));
	}

	private static SpringApplication application(ServerKind kind) {
		// Only the sample app's JVM has it on its class path (see ServerProcess).
		Class<?> application = kind.sample() ? SampleApplication.class : kind.configuration();
		SpringApplication spring = new SpringApplication(application, HeapEndpoint.class);
		spring.setLogStartupInfo(false);
		return spring;
	}

	private static String[] arguments(ServerKind kind, String... args) {
		String[] all = Arrays.copyOf(args, args.length + kind.defaults().length);
		System.arraycopy(kind.defaults(), 0, all, args.length, kind.defaults().length);
		return all;
	}

}
