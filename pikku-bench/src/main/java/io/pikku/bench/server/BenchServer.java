package io.pikku.bench.server;

import java.util.Arrays;

import io.pikku.sample.SampleApplication;

import org.springframework.boot.SpringApplication;
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

	private BenchServer() {
	}

	public static void main(String[] args) throws InterruptedException {
		ServerKind kind = ServerKind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
		if (kind == ServerKind.CANNED) {
			String port = Arrays.stream(args).filter((arg) -> arg.startsWith(PORT)).findFirst().orElseThrow();
			CannedReplyServer.run(Integer.parseInt(port.substring(PORT.length())));
			return;
		}
		run(kind, Arrays.copyOfRange(args, 1, args.length));
	}

	/**
	 * Runs a server in this JVM.
	 * @param kind which server
	 * @param args Spring Boot arguments, e.g. {@code --server.port=0}
	 * @return the running application
	 */
	public static ConfigurableApplicationContext run(ServerKind kind, String... args) {
		// Only the sample app's JVM has it on its class path (see ServerProcess).
		Class<?> application = kind.sample() ? SampleApplication.class : kind.configuration();
		SpringApplication spring = new SpringApplication(application, HeapEndpoint.class);
		spring.setLogStartupInfo(false);
		String[] all = Arrays.copyOf(args, args.length + kind.defaults().length);
		System.arraycopy(kind.defaults(), 0, all, args.length, kind.defaults().length);
		return spring.run(all);
	}

}
