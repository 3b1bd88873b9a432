package io.pikku.bench.server;

/**
 * The servers a benchmark compares, each the way a Spring user would write it: on the
 * servlet stack (Tomcat) or on the reactive stack (WebFlux on Reactor Netty), chosen by
 * {@code spring.main.web-application-type}. Ours runs as the sample app ships, with
 * actuator, the Prometheus registry and Pikku's metrics and observation, and once more
 * without them to show what they cost; the bare handlers and STOMP run without them
 * (their JVMs do not get those jars: see {@link #observed()}).
 */
public enum ServerKind {

	/**
	 * Our {@code echo} channel on the servlet transport, observed as the sample app is.
	 */
	PIKKU("Pikku", PikkuEchoServer.class, "/echo", true, "--pikku.eventhub.type=memory", Observed.ENDPOINTS,
			Observed.HEALTH),

	/** The same without actuator, metrics and observation. */
	PIKKU_UNOBSERVED("Pikku, observability off", PikkuEchoServer.class, "/echo", false, "--pikku.eventhub.type=memory"),

	/** Two Pikku instances sharing a Redis EventHub (scale-out only). */
	PIKKU_REDIS("Pikku on Redis", PikkuEchoServer.class, "/echo", true, "--pikku.eventhub.type=redis",
			Observed.ENDPOINTS, Observed.HEALTH),

	/** A bare {@code TextWebSocketHandler}: the same stack with no framework. */
	RAW("Raw handler", RawEchoServer.class, "/echo", false, "--pikku.enabled=false"),

	/** Spring STOMP {@code @MessageMapping} with the simple broker. */
	STOMP("STOMP", StompEchoServer.class, "/stomp", false, "--pikku.enabled=false"),

	/**
	 * Our {@code echo} channel, the same application as {@link #PIKKU}, on the reactive
	 * transport (WebFlux on Reactor Netty), observed as the sample app is.
	 */
	PIKKU_REACTIVE("Pikku reactive", PikkuEchoServer.class, "/echo", true, "--pikku.eventhub.type=memory",
			Observed.ENDPOINTS, Observed.HEALTH, Reactive.WEB_APPLICATION_TYPE, Reactive.WITHOUT_TOMCAT),

	/** The same without actuator, metrics and observation. */
	PIKKU_REACTIVE_UNOBSERVED("Pikku reactive, observability off", PikkuEchoServer.class, "/echo", false,
			"--pikku.eventhub.type=memory", Reactive.WEB_APPLICATION_TYPE, Reactive.WITHOUT_TOMCAT),

	/**
	 * A bare WebFlux {@code WebSocketHandler} on Reactor Netty: the reactive stack with
	 * no framework.
	 */
	WEBFLUX("WebFlux handler", WebFluxEchoServer.class, "/echo", false, "--pikku.enabled=false",
			Reactive.WEB_APPLICATION_TYPE, Reactive.WITHOUT_TOMCAT),

	/**
	 * The load client's ceiling: plain Netty answering every frame with a pre-encoded
	 * reply ({@link CannedReplyServer}), no Spring.
	 */
	CANNED("Canned replies (client ceiling)", null, "/echo", false);

	private final String label;

	private final Class<?> configuration;

	private final String path;

	private final boolean observed;

	private final String[] defaults;

	ServerKind(String label, Class<?> configuration, String path, boolean observed, String... defaults) {
		this.label = label;
		this.configuration = configuration;
		this.path = path;
		this.observed = observed;
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
	 * Whether the server runs with actuator, the Prometheus registry and Pikku's metrics
	 * and observation, as the sample app does. The others start without those jars on
	 * their class path, as an application that does not depend on them.
	 * @return whether observed
	 */
	public boolean observed() {
		return this.observed;
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

	/** The sample app's management settings (its {@code application.yml}). */
	private static final class Observed {

		static final String ENDPOINTS = "--management.endpoints.web.exposure.include=health,pikku,prometheus";

		static final String HEALTH = "--management.endpoint.health.show-components=always";

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
