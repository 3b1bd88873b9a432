package io.pikku.bench;

import java.util.Map;

/**
 * The figures of one run of one scenario against one server.
 *
 * @param scenario e.g. {@code round-trip}
 * @param variant e.g. {@code depth 8}
 * @param server the server's label
 * @param round which round (interleaved runs)
 * @param figures named numbers, e.g. {@code callsPerSecond}
 */
record Result(String scenario, String variant, String server, int round, Map<String, Double> figures) {

}
