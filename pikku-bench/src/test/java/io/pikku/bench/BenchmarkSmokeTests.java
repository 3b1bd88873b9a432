package io.pikku.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.pikku.bench.server.ServerKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario of the benchmark suite for about a second against real servers in
 * their own JVMs, on both stacks, so that the suite cannot rot: every server answers,
 * every reply of every round trip is the right one, every figure is there, and the
 * report, JSON and charts are written. It asserts no speed.
 */
class BenchmarkSmokeTests {

	@Test
	void everyScenarioRunsAgainstEveryServerAndTheReportIsWritten() throws Exception {
		Path output = Path.of("target/bench-smoke");
		Settings settings = Settings.smoke();
		Report report = BenchmarkSuite.run(settings, BenchmarkSuite.SCENARIOS, output.resolve("logs"));
		report.write(output);

		boolean linux = Files.isReadable(Path.of("/proc/self/io"));
		List<String> roundTrippers = new ArrayList<>(List.of(ServerKind.CANNED.label()));
		for (Stack stack : Stack.values()) {
			roundTrippers.addAll(stack.labels());
		}
		for (String server : roundTrippers) {
			for (String depth : List.of("depth 1", "depth 8")) {
				assertThat(report.median("round-trip", depth, server, "callsPerSecond")).as(server + " " + depth)
					.isPositive();
				assertThat(report.median("round-trip", depth, server, "p99Ms")).isPositive();
				assertThat(report.median("round-trip", depth, server, "serverCpuUsPerCall")).isPositive();
				assertThat(report.median("round-trip", depth, server, "clientCpuUsPerCall")).isPositive();
				if (linux) {
					assertThat(report.median("round-trip", depth, server, "serverWritesPerCall")).isPositive();
					assertThat(report.median("round-trip", depth, server, "clientWritesPerCall")).isPositive();
				}
			}
		}
		// The smoke run checks every reply's bytes against the first, checked in full.
		assertThat(report.results()).filteredOn((result) -> result.scenario().equals("round-trip"))
			.hasSize(2 * roundTrippers.size())
			.allSatisfy((result) -> assertThat(result.figures().get("wrongReplies")).as(result.server()).isZero());
		for (Stack stack : Stack.values()) {
			for (ServerKind kind : stack.servers()) {
				String server = kind.label();
				for (String audience : List.of("50 subscribers", "200 subscribers")) {
					assertThat(report.median("fan-out", audience, server, "deliveriesPerSecond"))
						.as(server + " " + audience)
						.isPositive();
					assertThat(report.median("fan-out", audience, server, "publishes")).isGreaterThanOrEqualTo(2);
					assertThat(report.median("fan-out", audience, server, "serverCpuUsPerDelivery")).isPositive();
					assertThat(report.median("fan-out", audience, server, "clientCpuUsPerDelivery")).isPositive();
				}
				String paced = "50 subscribers x 100 msg/s";
				assertThat(report.median("paced-fan-out", paced, server, "delivered")).as(server + " paced fan-out")
					.isEqualTo(1.0);
				assertThat(report.median("paced-fan-out", paced, server, "sentPerSecond")).isPositive();
				assertThat(report.median("paced-fan-out", paced, server, "deliveriesPerSecond")).isPositive();
				assertThat(report.median("paced-fan-out", paced, server, "p99Ms")).isPositive();
				assertThat(report.median("paced-fan-out", paced, server, "maxMs")).isPositive();
				assertThat(report.median("paced-fan-out", paced, server, "lastDeliveryAfterMs")).isPositive();
				assertThat(report.median("paced-fan-out", paced, server, "serverCpuUsPerDelivery")).isPositive();
				assertThat(report.median("paced-fan-out", paced, server, "clientCpuUsPerDelivery")).isPositive();
				assertThat(report.median("capacity", settings.idleConnections(stack) + " idle connections", server,
						"bytesPerConnection"))
					.as(server + " heap per connection")
					.isPositive();
			}
			assertThat(runs(report, stack.unobserved())).as("ours with observability off runs what ours runs")
				.isEqualTo(runs(report, stack.ours()));
		}
		for (String server : List.of(ServerKind.PIKKU_REDIS.label(), ServerKind.PIKKU_REDIS_REACTIVE.label(),
				ServerKind.REDIS_RELAY.label(), ServerKind.PIKKU_REDIS.label() + " Cluster",
				ServerKind.PIKKU_REDIS_REACTIVE.label() + " Cluster")) {
			for (String load : List.of("10 x 1000 msg/s", "1 x 10000 msg/s", "50 x 100 msg/s")) {
				assertThat(report.median("scale-out", load, server, "delivered")).as(server + " " + load + " delivered")
					.isEqualTo(1.0);
				assertThat(report.median("scale-out", load, server, "duplicates")).as(server + " " + load).isZero();
				assertThat(report.median("scale-out", load, server, "p50Ms")).as(server + " " + load).isPositive();
				assertThat(report.median("scale-out", load, server, "publisherCpuUsPerMessage")).isNotNegative();
				assertThat(report.median("scale-out", load, server, "receiverCpuUsPerMessage")).isNotNegative();
			}
			if (!server.endsWith("Cluster")) {
				assertThat(report.median("scale-out", "50 x 100 msg/s" + ScaleOut.ONE_INSTANCE, server, "p99Ms"))
					.as(server + " on one instance")
					.isPositive();
			}
		}
		// Servlet: 4 round trip x 2 depths, 2 fan-out, 1 capacity, 7 scale-out on one
		// Redis
		// and 2 on the cluster; reactive: 3 round trip x 2 depths, 2 fan-out, 3 paced
		// fan-out, 1 capacity and the same 9 scale-out; load client: 2 x 2 depths and the
		// wrong replies.
		assertThat(report.targets()).hasSize(4 * 2 + 2 + 1 + 9 + 3 * 2 + 2 + 3 + 1 + 9 + 2 * 2 + 1)
			.allSatisfy((target) -> assertThat(target.measured()).as(target.name()).isFinite());
		assertThat(report.targets()).filteredOn((target) -> target.stack().equals("reactive")).hasSize(21);
		assertThat(report.targets()).filteredOn((target) -> target.stack().equals(Stack.CLIENT)).hasSize(5);

		assertThat(output.resolve(Report.MARKDOWN)).content()
			.contains("## Targets", "### " + Stack.SERVLET.title(), "### " + Stack.REACTIVE.title(), "### Load client",
					"| Pikku |", "| " + ServerKind.PIKKU_UNOBSERVED.label() + " |", "| STOMP |",
					"| " + ServerKind.PIKKU_REACTIVE.label() + " |",
					"| " + ServerKind.PIKKU_REACTIVE_UNOBSERVED.label() + " |",
					"| " + ServerKind.WEBFLUX.label() + " |", "### Load client ceiling", "client CPU µs per call",
					"## Paced fan-out", "round-trip-reactive.png", "## Scale-out",
					"| 1 x 10000 msg/s | " + ServerKind.REDIS_RELAY.label() + " |");
		Path charts = output.resolve(Report.DIRECTORY);
		assertThat(charts.resolve("results.json")).content()
			.contains("\"callsPerSecond\"", "\"clientCpuUsPerCall\"", "\"lastDeliveryAfterMs\"",
					"\"stack\" : \"reactive\"", "\"stack\" : \"client\"",
					"\"server\" : \"" + ServerKind.WEBFLUX.label() + "\"");
		for (String chart : List.of("round-trip", "fan-out", "paced-fan-out", "scale-out", "capacity",
				"round-trip-reactive", "fan-out-reactive", "paced-fan-out-reactive", "capacity-reactive")) {
			byte[] png = Files.readAllBytes(charts.resolve(chart + ".png"));
			assertThat(png).as(chart + ".png is a PNG").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
		}
	}

	/** The scenarios and variants a server ran, in the order it ran them. */
	private static List<String> runs(Report report, String server) {
		return report.results()
			.stream()
			.filter((result) -> result.server().equals(server))
			.map((result) -> result.round() + " " + result.scenario() + " " + result.variant())
			.toList();
	}

}
