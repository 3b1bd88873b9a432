package io.pikku.bench.server;

/**
 * The servers a benchmark compares, each the way a Spring user would write it: on the
 * servlet stack (Tomcat) or on the reactive stack (WebFlux on Reactor Netty), chosen by
 * {@code spring.main.web-application-type}.
 */
public enum ServerKind {

	/** Our {@code echo} channel on the servlet transport. */
	PIKKU("Pikku", PikkuEchoServer.class, "/echo", "--pikku.eventhub.type=memory"),

	/** Two Pikku instances sharing a Redis EventHub (scale-out only). */
	PIKKU_REDIS("Pikku on Redis", PikkuEchoServer.class, "/echo", "--pikku.eventhub.type=redis"),

	/** A bare {@code TextWebSocketHandler}: the same stack with no framework. */
	RAW("Raw handler", RawEchoServer.class, "/echo", "--pikku.enabled=false"),

	/** Spring STOMP {@code @MessageMapping} with the simple broker. */
	STOMP("STOMP", StompEchoServer.class, "/stomp", "--pikku.enabled=false"),

	/**
	 * Our {@code echo} channel, the same application as {@link #PIKKU}, on the reactive
	 * transport (WebFlux on Reactor Netty).
	 */
	PIKKU_REACTIVE("Pikku reactive", PikkuEchoServer.class, "/echo", "--pikku.eventhub.type=memory",
			Reactive.WEB_APPLICATION_TYPE, Reactive.WITHOUT_TOMCAT),

	/**
	 * A bare WebFlux {@code WebSocketHandler} on Reactor Netty: the reactive stack with
	 * no framework.
	 */
	WEBFLUX("WebFlux handler", WebFluxEchoServer.class, "/echo", "--pikku.enabled=false", Reactive.WEB_APPLICATION_TYPE,
			Reactive.WITHOUT_TOMCAT),

	/**
	 * The load client's ceiling: plain Netty answering every frame with a pre-encoded
	 * reply ({@link CannedReplyServer}), no Spring.
	 */
	CANNED("Canned replies (client ceiling)", null, "/echo");

	private final String label;

	private final Class<?> configuration;

	private final String path;

	private final String[] defaults;

	ServerKind(String label, Class<?> configuration, String path, String... defaults) {
		this.label = label;
		this.configuration = configuration;
		this.path = path;
		this.defaults = defaults;
	}

	/**
	 * A name for reports.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * The WebSocket path the client connects to.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Whether the server serves an HTTP endpoint with its heap ({@code /bench/heap}).
	 * @return whether it does
	 */
	public boolean servesHeap() {
		return this.configuration != null;
	}

	Class<?> configuration() {
		return this.configuration;
	}

	String[] defaults() {
		return this.defaults.clone();
	}

	/** The arguments that put a server on the reactive stack. */
	private static final class Reactive {

		static final String WEB_APPLICATION_TYPE = "--spring.main.web-application-type=reactive";

		/**
		 * Tomcat is on the class path (the servlet servers need it) and Boot would pick
		 * it as the reactive server too; Reactor Netty it is.
		 */
		static final String WITHOUT_TOMCAT = "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration";

	}

}
