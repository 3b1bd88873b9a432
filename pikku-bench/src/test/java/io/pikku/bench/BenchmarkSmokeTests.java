package io.pikku.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.pikku.bench.server.ServerKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario of the benchmark suite for about a second against real servers in
 * their own JVMs, so that the suite cannot rot: every server answers, every figure is
 * there, and the report, JSON and charts are written. It asserts no speed.
 */
class BenchmarkSmokeTests {

	@Test
	void everyScenarioRunsAgainstEveryServerAndTheReportIsWritten() throws Exception {
		Path output = Path.of("target/bench-smoke");
		Report report = BenchmarkSuite.run(Settings.smoke(), Set.of("round-trip", "fan-out", "scale-out", "capacity"),
				output.resolve("logs"));
		report.write(output);

		List<String> servers = BenchmarkSuite.COMPARED.stream().map(ServerKind::label).toList();
		for (String server : servers) {
			for (String depth : List.of("depth 1", "depth 8")) {
				assertThat(report.median("round-trip", depth, server, "callsPerSecond")).as(server + " " + depth)
					.isPositive();
				assertThat(report.median("round-trip", depth, server, "p99Ms")).isPositive();
			}
			for (String audience : List.of("50 subscribers", "200 subscribers")) {
				assertThat(report.median("fan-out", audience, server, "deliveriesPerSecond"))
					.as(server + " " + audience)
					.isPositive();
				assertThat(report.median("fan-out", audience, server, "publishes")).isGreaterThanOrEqualTo(2);
			}
			assertThat(report.median("capacity", "200 idle connections", server, "bytesPerConnection"))
				.as(server + " heap per connection")
				.isPositive();
		}
		String relay = ServerKind.PIKKU_REDIS.label();
		assertThat(report.median("scale-out", "1000 msg/s", relay, "delivered")).as("every relayed message arrived")
			.isEqualTo(1.0);
		assertThat(report.median("scale-out", "1000 msg/s", relay, "p50Ms")).isPositive();
		assertThat(report.targets()).hasSize(3 * 2 + 2 + 1 + 2)
			.allSatisfy((target) -> assertThat(target.measured()).as(target.name()).isFinite());

		assertThat(output.resolve(Report.MARKDOWN)).content().contains("## Targets", "| Pikku |", "| STOMP |");
		Path charts = output.resolve(Report.DIRECTORY);
		assertThat(charts.resolve("results.json")).content().contains("\"callsPerSecond\"");
		for (String chart : List.of("round-trip", "fan-out", "scale-out", "capacity")) {
			byte[] png = Files.readAllBytes(charts.resolve(chart + ".png"));
			assertThat(png).as(chart + ".png is a PNG").startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
		}
	}

}
