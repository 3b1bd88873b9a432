package io.pikku.bench;

import java.util.Map;

/**
 * The figures of one run of one scenario against one server.
 *
 * @param stack the server's stack: {@code servlet} or {@code reactive}, or {@code client}
 * for the load client's ceiling
 * @param scenario e.g. {@code round-trip}
 * @param variant e.g. {@code depth 8}
 * @param server the server's label
 * @param round which round (interleaved runs)
 * @param figures named numbers, e.g. {@code callsPerSecond}
 */
record Result(String stack, String scenario, String variant, String server, int round, Map<String, Double> figures) {

	Result(String scenario, String variant, String server, int round, Map<String, Double> figures) {
		this(Stack.keyOf(server), scenario, variant, server, round, figures);
	}

}
