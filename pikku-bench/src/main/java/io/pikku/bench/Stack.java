package io.pikku.bench;

import java.util.List;

import io.pikku.bench.server.ServerKind;

/**
 * A web stack and the servers compared on it, ours first, then the bare handler that
 * every ratio is taken against.
 */
enum Stack {

	/** Spring MVC's WebSocket support on Tomcat. */
	SERVLET("servlet", "Servlet stack (Tomcat)", "Tomcat", "", ServerKind.PIKKU, ServerKind.RAW, ServerKind.STOMP),

	/** Spring WebFlux's WebSocket support on Reactor Netty. */
	REACTIVE("reactive", "Reactive stack (WebFlux on Reactor Netty)", "WebFlux", "-reactive", ServerKind.PIKKU_REACTIVE,
			ServerKind.WEBFLUX);

	/** The key of results that belong to no stack: the load client's ceiling. */
	static final String CLIENT = "client";

	private final String key;

	private final String title;

	private final String shortTitle;

	private final String fileSuffix;

	private final List<ServerKind> servers;

	Stack(String key, String title, String shortTitle, String fileSuffix, ServerKind... servers) {
		this.key = key;
		this.title = title;
		this.shortTitle = shortTitle;
		this.fileSuffix = fileSuffix;
		this.servers = List.of(servers);
	}

	/**
	 * A short name, for JSON.
	 * @return {@code servlet} or {@code reactive}
	 */
	String key() {
		return this.key;
	}

	/**
	 * A heading for reports.
	 * @return the title
	 */
	String title() {
		return this.title;
	}

	/**
	 * A short name for chart titles.
	 * @return {@code Tomcat} or {@code WebFlux}
	 */
	String shortTitle() {
		return this.shortTitle;
	}

	/**
	 * What the stack's charts add to a scenario's file name.
	 * @return the suffix, empty for the servlet stack
	 */
	String fileSuffix() {
		return this.fileSuffix;
	}

	/**
	 * The servers compared, interleaved in this order.
	 * @return the servers
	 */
	List<ServerKind> servers() {
		return this.servers;
	}

	/**
	 * Their labels.
	 * @return the labels, in order
	 */
	List<String> labels() {
		return this.servers.stream().map(ServerKind::label).toList();
	}

	/**
	 * Our server on this stack.
	 * @return its label
	 */
	String ours() {
		return this.servers.get(0).label();
	}

	/**
	 * The bare handler of this stack: the ceiling every ratio is taken against.
	 * @return its label
	 */
	String baseline() {
		return this.servers.get(1).label();
	}

	/**
	 * The stack a server runs on.
	 * @param server a server's label
	 * @return its stack (the servlet stack for the scale-out servers and the client's
	 * ceiling)
	 */
	static Stack of(String server) {
		for (Stack stack : values()) {
			if (stack.labels().contains(server)) {
				return stack;
			}
		}
		return SERVLET;
	}

	/**
	 * The key that a server's results carry.
	 * @param server a server's label
	 * @return its stack's key, or {@link #CLIENT} for the load client's ceiling
	 */
	static String keyOf(String server) {
		return server.equals(ServerKind.CANNED.label()) ? CLIENT : of(server).key();
	}

}
