package io.pikku.bench.server;

/**
 * The servers a benchmark compares, each the way a Spring user would write it.
 */
public enum ServerKind {

	/** Our {@code echo} channel on the servlet transport. */
	PIKKU("Pikku", PikkuEchoServer.class, "/echo", "--pikku.eventhub.type=memory"),

	/** Two Pikku instances sharing a Redis EventHub (scale-out only). */
	PIKKU_REDIS("Pikku on Redis", PikkuEchoServer.class, "/echo", "--pikku.eventhub.type=redis"),

	/** A bare {@code TextWebSocketHandler}: the same stack with no framework. */
	RAW("Raw handler", RawEchoServer.class, "/echo", "--pikku.enabled=false"),

	/** Spring STOMP {@code @MessageMapping} with the simple broker. */
	STOMP("STOMP", StompEchoServer.class, "/stomp", "--pikku.enabled=false");

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

	Class<?> configuration() {
		return this.configuration;
	}

	String[] defaults() {
		return this.defaults.clone();
	}

}
