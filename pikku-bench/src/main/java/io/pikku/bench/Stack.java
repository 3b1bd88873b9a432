package io.pikku.bench;

import java.util.ArrayList;
import java.util.List;

import io.pikku.bench.server.ServerKind;

/**
 * A web stack and the servers compared on it: ours as users run it (observed), ours with
 * observability off, the bare handler that every ratio is taken against, then the others.
 */
enum Stack {

	/** Spring MVC's WebSocket support on Tomcat. */
	SERVLET("servlet", "Servlet stack (Tomcat)", "Tomcat", "", ServerKind.PIKKU, ServerKind.PIKKU_UNOBSERVED,
			ServerKind.RAW, ServerKind.STOMP),

	/** Spring WebFlux's WebSocket support on Reactor Netty. */
	REACTIVE("reactive", "Reactive stack (WebFlux on Reactor Netty)", "WebFlux", "-reactive", ServerKind.PIKKU_REACTIVE,
			ServerKind.PIKKU_REACTIVE_UNOBSERVED, ServerKind.WEBFLUX);

	/** The key of results that belong to no stack: the load client's ceiling. */
	static final String CLIENT = "client";

	private final String key;

	private final String title;

	private final String shortTitle;

	private final String fileSuffix;

	private final ServerKind ours;

	private final ServerKind unobserved;

	private final ServerKind baseline;

	private final List<ServerKind> others;

	Stack(String key, String title, String shortTitle, String fileSuffix, ServerKind ours, ServerKind unobserved,
			ServerKind baseline, ServerKind... others) {
		this.key = key;
		this.title = title;
		this.shortTitle = shortTitle;
		this.fileSuffix = fileSuffix;
		this.ours = ours;
		this.unobserved = unobserved;
		this.baseline = baseline;
		this.others = List.of(others);
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
	 * Every server of the stack, interleaved in this order: all of them run every
	 * scenario.
	 * @return the servers
	 */
	List<ServerKind> servers() {
		List<ServerKind> servers = new ArrayList<>(List.of(this.ours, this.unobserved, this.baseline));
		servers.addAll(this.others);
		return servers;
	}

	/**
	 * The labels of all its servers.
	 * @return the labels, in order
	 */
	List<String> labels() {
		return servers().stream().map(ServerKind::label).toList();
	}

	/**
	 * Our server on this stack, observed as users run it.
	 * @return its label
	 */
	String ours() {
		return this.ours.label();
	}

	/**
	 * Our server on this stack without actuator, metrics and observation.
	 * @return its label
	 */
	String unobserved() {
		return this.unobserved.label();
	}

	/**
	 * The bare handler of this stack: the ceiling every ratio is taken against.
	 * @return its label
	 */
	String baseline() {
		return this.baseline.label();
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
