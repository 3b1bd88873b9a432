package io.pikku.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.pikku.bench.server.ServerKind;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * The scale-out part of the report ({@link ScaleOut}): its targets, its section of
 * {@code BENCHMARKS.md} and its chart.
 */
final class ScaleOutReport {

	private static final String SCENARIO = ScaleOut.SCENARIO;

	private static final String FAN_OUT = "10 x 1000 msg/s";

	private static final String FAST = "1 x 10000 msg/s";

	private final Report report;

	ScaleOutReport(Report report) {
		this.report = report;
	}

	/**
	 * The targets of the scale-out issue, for every pair that ran the load.
	 * @return the targets
	 */
	List<Report.Target> targets() {
		List<Report.Target> targets = new ArrayList<>();
		for (String server : servers()) {
			if (server.equals(ServerKind.REDIS_RELAY.label())) {
				continue;
			}
			String stack = stack(server);
			boolean cluster = server.endsWith("Cluster");
			if (!cluster && has(FAN_OUT, server)) {
				targets.add(Report.Target.atMost(stack, "Scale-out, " + FAN_OUT + ", " + server + ": median (ms)", 0.6,
						median(FAN_OUT, server, "p50Ms")));
				targets.add(Report.Target.atMost(stack, "Scale-out, " + FAN_OUT + ", " + server + ": p99 (ms)", 10,
						median(FAN_OUT, server, "p99Ms")));
				targets.add(Report.Target.atMost(stack,
						"Scale-out, " + FAN_OUT + ", " + server + ": publishing instance's CPU per publish (µs)", 200,
						median(FAN_OUT, server, "publisherCpuUsPerMessage")));
			}
			if (has(FAST, server)) {
				String name = "Scale-out, " + FAST + ", " + server;
				targets.add(Report.Target.atLeast(stack, name + ": delivered, in order, once", 1.0,
						median(FAST, server, "delivered") - median(FAST, server, "outOfOrder")
								- median(FAST, server, "duplicates")));
				if (!cluster) {
					targets
						.add(Report.Target.atMost(stack, name + ": median (ms)", 1.0, median(FAST, server, "p50Ms")));
				}
				targets.add(Report.Target.atMost(stack, name + ": p99 (ms)", cluster ? 25 : 20,
						median(FAST, server, "p99Ms")));
			}
			for (String wide : variants()) {
				String oneInstance = wide + ScaleOut.ONE_INSTANCE;
				if (has(wide, server) && has(oneInstance, server)) {
					targets.add(Report.Target.atMost(stack,
							"Scale-out, " + wide + ", " + server + ": p99 across instances / on one instance", 1.2,
							median(wide, server, "p99Ms") / median(oneInstance, server, "p99Ms")));
				}
			}
		}
		return targets;
	}

	/**
	 * Writes the scale-out section.
	 * @param md the report so far
	 */
	void markdown(StringBuilder md) {
		if (servers().isEmpty()) {
			return;
		}
		md.append("\n## Scale-out\n\nTwo instances of each server on one Redis 7.0 (loopback), each in its own JVM: ")
			.append("one publisher connection on the first at a fixed rate, subscribers on the second (\"one ")
			.append("instance\": all on the first). Pikku on both stacks with its Redis EventHub; the bare relay, ")
			.append("a WebFlux handler that relays each publish with one Lettuce `PUBLISH` on one Redis channel ")
			.append("per topic and delivers its own instance's subscribers at once; and Pikku on a Redis Cluster ")
			.append("of 3 masters (sharded pub/sub). Latency from the publish frame to each delivery; ")
			.append("\"out of order\" and \"twice\" count deliveries that came after a later one of the ")
			.append("publisher, or again; CPU is each instance's JVM (all threads) per message published while ")
			.append("measured. Each round starts the instances afresh and runs every load against every pair, ")
			.append("unrecorded, then on a second at a time until neither instance's JIT compiler is busy (or ")
			.append("for as long again): measured right after a fixed warm-up, the bare relay took 1.75 times ")
			.append("the CPU per publish of instances that had been up for half an hour.\n\n");
		md.append("| load | server | sent/s | delivered | out of order | twice | p50 ms | p99 ms | p99.9 ms | max ms ")
			.append("| last after ms | publisher CPU µs/msg | receiver CPU µs/msg |\n")
			.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (String variant : variants()) {
			for (String server : servers()) {
				if (!has(variant, server)) {
					continue;
				}
				md.append("| ").append(variant).append(" | ").append(server).append(" |");
				for (String figure : List.of("sentPerSecond", "delivered", "outOfOrder", "duplicates", "p50Ms", "p99Ms",
						"p999Ms", "maxMs", "lastDeliveryAfterMs", "publisherCpuUsPerMessage",
						"receiverCpuUsPerMessage")) {
					md.append(' ').append(Report.format(median(variant, server, figure))).append(" |");
				}
				md.append('\n');
			}
		}
		md.append("\n![Scale-out](").append(Report.DIRECTORY).append("/scale-out.png)\n");
	}

	/**
	 * Draws the p99 of every load and server across instances, on a logarithmic scale.
	 * @param file where
	 */
	void chart(Path file) throws IOException {
		List<String> servers = new ArrayList<>(servers());
		if (servers.isEmpty()) {
			return;
		}
		CategoryChart chart = new CategoryChartBuilder().width(1000)
			.height(500)
			.title("Scale-out: p99 latency across instances over Redis")
			.yAxisTitle("ms (log)")
			.build();
		chart.getStyler().setYAxisLogarithmic(true);
		// bars cannot stand on a logarithmic axis
		chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
		chart.getStyler().setXAxisLabelRotation(20);
		for (String variant : variants()) {
			if (variant.endsWith(ScaleOut.ONE_INSTANCE)) {
				// in the table; not run on every pair
				continue;
			}
			chart.addSeries(variant, servers,
					servers.stream()
						.map((server) -> median(variant, server, "p99Ms"))
						.map((value) -> (value.isNaN() || value <= 0) ? 0.01 : value)
						.toList());
		}
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private boolean has(String variant, String server) {
		return !Double.isNaN(median(variant, server, "p50Ms"));
	}

	private Double median(String variant, String server, String figure) {
		return this.report.median(SCENARIO, variant, server, figure);
	}

	private String stack(String server) {
		return this.report.results()
			.stream()
			.filter((result) -> result.scenario().equals(SCENARIO) && result.server().equals(server))
			.map(Result::stack)
			.findFirst()
			.orElse(Stack.SERVLET.key());
	}

	private Set<String> servers() {
		Set<String> servers = new LinkedHashSet<>();
		this.report.results()
			.stream()
			.filter((result) -> result.scenario().equals(SCENARIO))
			.forEach((result) -> servers.add(result.server()));
		return servers;
	}

	private Set<String> variants() {
		Set<String> variants = new LinkedHashSet<>();
		this.report.results()
			.stream()
			.filter((result) -> result.scenario().equals(SCENARIO))
			.forEach((result) -> variants.add(result.variant()));
		return variants;
	}

}
