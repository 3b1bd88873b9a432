package io.pikku.bench.server;

/**
 * The servers a benchmark compares, each the way a Spring user would write it: on the
 * servlet stack (Tomcat) or on the reactive stack (WebFlux on Reactor Netty), chosen by
 * {@code spring.main.web-application-type}. Ours is the sample app ({@code sample-app})
 * as it ships, with actuator, the Prometheus registry and Pikku's metrics and
 * observation, and once more without them to show what they cost; the bare handlers and
 * STOMP run without them (their JVMs do not get those jars: see {@link #observed()}).
 */
public enum ServerKind {

	/** The sample app on the servlet transport, observed as it ships. */
	PIKKU("Pikku", true),

	/** The same without actuator, metrics and observation. */
	PIKKU_UNOBSERVED("Pikku, observability off", false),

	/**
	 * The sample app under its {@code redis} profile: two instances sharing a Redis
	 * EventHub (scale-out only).
	 */
	PIKKU_REDIS("Pikku on Redis", true, "--spring.profiles.active=redis"),

	/** A bare {@code TextWebSocketHandler}: the same stack with no framework. */
	RAW("Raw handler", RawEchoServer.class, "/echo", false, "--pikku.enabled=false"),

	/** Spring STOMP {@code @MessageMapping} with the simple broker. */
	STOMP("STOMP", StompEchoServer.class, "/stomp", false, "--pikku.enabled=false"),

	/**
	 * The same application as {@link #PIKKU} on the reactive transport (WebFlux on
	 * Reactor Netty), as the sample app runs there, observed as it ships.
	 */
	PIKKU_REACTIVE("Pikku reactive", true, Reactive.WEB_APPLICATION_TYPE),

	/** The same without actuator, metrics and observation. */
	PIKKU_REACTIVE_UNOBSERVED("Pikku reactive, observability off", false, Reactive.WEB_APPLICATION_TYPE),

	/**
	 * A bare WebFlux {@code WebSocketHandler} on Reactor Netty: the reactive stack with
	 * no framework.
	 */
	WEBFLUX("WebFlux handler", WebFluxEchoServer.class, "/echo", false, "--pikku.enabled=false",
			Reactive.WEB_APPLICATION_TYPE, Reactive.WITHOUT_TOMCAT),

	/**
	 * The sample app under its {@code redis} profile on the reactive transport: two
	 * instances sharing a Redis EventHub (scale-out only).
	 */
	PIKKU_REDIS_REACTIVE("Pikku reactive on Redis", true, "--spring.profiles.active=redis",
			Reactive.WEB_APPLICATION_TYPE),

	/**
	 * The bare relay of scale-out: a WebFlux handler with one Lettuce {@code PUBLISH} per
	 * message and one Redis channel per topic (scale-out only).
	 */
	REDIS_RELAY("Bare relay", RedisRelayServer.class, "/echo", false, "--pikku.enabled=false",
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

	private final boolean sample;

	private final String[] defaults;

	/** The sample app, at {@code /echo}. */
	ServerKind(String label, boolean observed, String... defaults) {
		this(label, null, "/echo", observed, true, defaults);
	}

	ServerKind(String label, Class<?> configuration, String path, boolean observed, String... defaults) {
		this(label, configuration, path, observed, false, defaults);
	}

	ServerKind(String label, Class<?> configuration, String path, boolean observed, boolean sample,
			String... defaults) {
		this.label = label;
		this.configuration = configuration;
		this.path = path;
		this.observed = observed;
		this.sample = sample;
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
		return this.sample || this.configuration != null;
	}

	/**
	 * Whether the server is the sample app, whose HTTP endpoints but health need a token:
	 * {@code /actuator/**} the token of a user with role {@code ADMIN}.
	 * @return whether it is
	 */
	public boolean sample() {
		return this.sample;
	}

	/**
	 * The configuration of a server that is not the sample app.
	 * @return the configuration, {@code null} for the sample app and the canned-reply
	 * server
	 */
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
		 * it as the reactive server too; Reactor Netty it is (the sample app excludes it
		 * in its {@code application.yml}).
		 */
		static final String WITHOUT_TOMCAT = "--spring.autoconfigure.exclude="
				+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration";

	}

}
