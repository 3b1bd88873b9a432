package io.pikku.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import io.pikku.bench.server.ServerKind;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run found: medians over the rounds, ratios to each stack's bare handler (and to
 * STOMP), the targets, written as {@code BENCHMARKS.md}, {@code results.json} and one
 * chart per scenario and stack.
 */
final class Report {

	static final String MARKDOWN = "BENCHMARKS.md";

	static final String DIRECTORY = "docs/benchmarks";

	private static final String CEILING = ServerKind.CANNED.label();

	private final Settings settings;

	private final List<Result> results;

	private final long seconds;

	Report(Settings settings, List<Result> results, long seconds) {
		this.settings = settings;
		this.results = List.copyOf(results);
		this.seconds = seconds;
	}

	List<Result> results() {
		return this.results;
	}

	/** The median of a figure over the rounds, or NaN if it was not measured. */
	double median(String scenario, String variant, String server, String figure) {
		double[] values = this.results.stream()
			.filter((result) -> result.scenario().equals(scenario) && result.variant().equals(variant)
					&& result.server().equals(server))
			.map((result) -> result.figures().get(figure))
			.filter(Objects::nonNull)
			.mapToDouble(Double::doubleValue)
			.sorted()
			.toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private Set<String> variants(String scenario) {
		Set<String> variants = new LinkedHashSet<>();
		this.results.stream()
			.filter((result) -> result.scenario().equals(scenario))
			.forEach((result) -> variants.add(result.variant()));
		return variants;
	}

	/** The variants of a scenario that a stack's servers ran. */
	private Set<String> variants(String scenario, Stack stack) {
		Set<String> variants = new LinkedHashSet<>();
		this.results.stream()
			.filter((result) -> result.scenario().equals(scenario) && stack.labels().contains(result.server()))
			.forEach((result) -> variants.add(result.variant()));
		return variants;
	}

	List<Target> targets() {
		List<Target> targets = new ArrayList<>();
		for (Stack stack : Stack.values()) {
			String key = stack.key();
			String ours = stack.ours();
			String bare = stack.baseline();
			for (String variant : variants("round-trip", stack)) {
				String name = "Round trip, " + variant + ": ";
				double calls = median("round-trip", variant, ours, "callsPerSecond");
				targets.add(Target.atLeast(key, name + "calls/s, ours / bare handler", 0.90,
						calls / median("round-trip", variant, bare, "callsPerSecond")));
				targets.add(Target.atMost(key, name + "p99, ours / bare handler", 1.25,
						median("round-trip", variant, ours, "p99Ms") / median("round-trip", variant, bare, "p99Ms")));
				targets.add(Target.atLeast(key, name + "calls/s, observability on / off", 0.90,
						calls / median("round-trip", variant, stack.unobserved(), "callsPerSecond")));
				if (stack == Stack.SERVLET) {
					targets.add(Target.atLeast(key, name + "calls/s, ours / STOMP", 2.0,
							calls / median("round-trip", variant, ServerKind.STOMP.label(), "callsPerSecond")));
				}
			}
			for (String variant : variants("fan-out", stack)) {
				targets.add(Target.atLeast(key, "Fan-out, " + variant + ": deliveries/s, ours / bare loop", 0.90,
						median("fan-out", variant, ours, "deliveriesPerSecond")
								/ median("fan-out", variant, bare, "deliveriesPerSecond")));
			}
			if (stack == Stack.REACTIVE) {
				for (String variant : variants("paced-fan-out", stack)) {
					String name = "Paced fan-out, " + variant + ": ";
					targets.add(Target.atLeast(key, name + "share delivered, ours", 1.0,
							median("paced-fan-out", variant, ours, "delivered")));
					targets.add(Target.atMost(key, name + "last delivery after the last publish (ms), ours", 500,
							median("paced-fan-out", variant, ours, "lastDeliveryAfterMs")));
					targets.add(Target.atMost(key, name + "p99 latency (ms), ours", 100,
							median("paced-fan-out", variant, ours, "p99Ms")));
				}
			}
			for (String variant : variants("capacity", stack)) {
				targets.add(Target.atMost(key, "Capacity, " + variant + ": heap per connection, ours / bare handler",
						1.25, median("capacity", variant, ours, "bytesPerConnection")
								/ median("capacity", variant, bare, "bytesPerConnection")));
			}
		}
		targets.addAll(new ScaleOutReport(this).targets());
		targets.addAll(clientTargets());
		return targets;
	}

	/**
	 * Whether the load client measured the servers rather than itself: its ceiling (the
	 * canned-reply server) above the fastest server, the client cheaper per call than
	 * every server it drove, and every checked reply right.
	 */
	private List<Target> clientTargets() {
		List<Target> targets = new ArrayList<>();
		for (String variant : variants("round-trip")) {
			double ceiling = median("round-trip", variant, CEILING, "callsPerSecond");
			if (Double.isNaN(ceiling)) {
				continue;
			}
			List<String> servers = Arrays.stream(Stack.values()).flatMap((stack) -> stack.labels().stream()).toList();
			double fastest = servers.stream()
				.mapToDouble((server) -> median("round-trip", variant, server, "callsPerSecond"))
				.filter((calls) -> !Double.isNaN(calls))
				.max()
				.orElse(Double.NaN);
			targets.add(Target.atLeast(Stack.CLIENT,
					"Round trip, " + variant + ": calls/s, client ceiling / fastest server", 1.0, ceiling / fastest));
			double costliest = servers.stream()
				.mapToDouble((server) -> median("round-trip", variant, server, "clientCpuUsPerCall")
						/ median("round-trip", variant, server, "serverCpuUsPerCall"))
				.filter((ratio) -> !Double.isNaN(ratio))
				.max()
				.orElse(Double.NaN);
			targets.add(Target.atMost(Stack.CLIENT,
					"Round trip, " + variant + ": CPU per call, client / server, the highest of any server", 1.0,
					costliest));
		}
		double wrong = this.results.stream()
			.filter((result) -> result.scenario().equals("round-trip"))
			.map((result) -> result.figures().get("wrongReplies"))
			.filter(Objects::nonNull)
			.mapToDouble(Double::doubleValue)
			.sum();
		targets.add(Target.atMost(Stack.CLIENT, "Round trip: wrong replies among those checked, every run", 0, wrong));
		return targets;
	}

	void write(Path root) throws IOException {
		Path directory = root.resolve(DIRECTORY);
		Files.createDirectories(directory);
		for (Stack stack : Stack.values()) {
			String suffix = stack.fileSuffix();
			String on = " on " + stack.shortTitle();
			chart(directory.resolve("round-trip" + suffix + ".png"),
					"Round trip" + on + ": calls per second (" + this.settings.connections() + " connections)",
					"calls/s", "round-trip", stack, "callsPerSecond", 1);
			chart(directory.resolve("fan-out" + suffix + ".png"), "Fan-out" + on + ": deliveries per second",
					"deliveries/s", "fan-out", stack, "deliveriesPerSecond", 1);
			pacedChart(directory.resolve("paced-fan-out" + suffix + ".png"), stack);
			chart(directory.resolve("capacity" + suffix + ".png"), "Capacity" + on + ": heap per idle connection", "KB",
					"capacity", stack, "bytesPerConnection", 1.0 / 1024);
		}
		new ScaleOutReport(this).chart(directory.resolve("scale-out.png"));
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("settings", this.settings);
		json.put("machine", machine());
		Map<String, List<String>> stacks = new LinkedHashMap<>();
		for (Stack stack : Stack.values()) {
			stacks.put(stack.key(), stack.labels());
		}
		json.put("stacks", stacks);
		json.put("targets", targets());
		json.put("results", this.results);
		mapper.writeValue(directory.resolve("results.json").toFile(), json);
		Files.writeString(root.resolve(MARKDOWN), markdown(), StandardCharsets.UTF_8);
	}

	/** The chart file of a scenario on a stack, relative to the report's root. */
	private static String chartPath(String scenario, Stack stack) {
		return DIRECTORY + "/" + scenario + stack.fileSuffix() + ".png";
	}

	private void chart(Path file, String title, String unit, String scenario, Stack stack, String figure, double scale)
			throws IOException {
		List<String> variants = new ArrayList<>(variants(scenario, stack));
		if (variants.isEmpty()) {
			return;
		}
		CategoryChart chart = new CategoryChartBuilder().width(800)
			.height(450)
			.title(title)
			.xAxisTitle("")
			.yAxisTitle(unit)
			.build();
		chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
		List<String> servers = new ArrayList<>(stack.labels());
		servers.add(CEILING);
		for (String server : servers) {
			List<Double> values = variants.stream()
				.map((variant) -> median(scenario, variant, server, figure) * scale)
				.toList();
			if (values.stream().allMatch((value) -> value.isNaN())) {
				continue;
			}
			chart.addSeries(server, variants, values.stream().map((value) -> value.isNaN() ? 0.0 : value).toList());
		}
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private void pacedChart(Path file, Stack stack) throws IOException {
		List<String> variants = new ArrayList<>(variants("paced-fan-out", stack));
		if (variants.isEmpty()) {
			return;
		}
		String variant = variants.get(0);
		CategoryChart chart = new CategoryChartBuilder().width(800)
			.height(450)
			.title("Paced fan-out on " + stack.shortTitle() + ", " + variant + ": latency")
			.yAxisTitle("ms")
			.build();
		chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
		for (ServerKind server : stack.servers()) {
			List<Double> values = java.util.stream.Stream.of("p50Ms", "p99Ms", "p999Ms", "lastDeliveryAfterMs")
				.map((figure) -> median("paced-fan-out", variant, server.label(), figure))
				.map((value) -> value.isNaN() ? 0.0 : value)
				.toList();
			chart.addSeries(server.label(), List.of("p50", "p99", "p99.9", "last delivery after last publish"), values);
		}
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Written by the benchmark suite (`pikku-bench`) on ")
			.append(LocalDate.now())
			.append(", a `")
			.append(this.settings.name())
			.append("` run of ")
			.append(this.settings.rounds())
			.append((this.settings.rounds() == 1) ? " round (" : " rounds (")
			.append(this.settings.passes())
			.append((this.settings.passes() == 1) ? " pass" : " passes")
			.append(" of the round trips and fan-outs each) that took ")
			.append(this.seconds / 60)
			.append(" min ")
			.append(this.seconds % 60)
			.append(" s. Do not edit it by hand: run the suite again.\n\n");
		md.append("## Reproduce\n\n```shell\n./mvnw -pl pikku-bench -am -DskipTests -Pbenchmark verify\n```\n\n");
		md.append("On a quiet machine: the client shares the CPU with the servers, so anything else running ")
			.append("takes from both (`uptime` before and after). Some scenarios only: ")
			.append("`-Dbench.args=\"--scenarios=round-trip --rounds=1\"`.\n\n");
		md.append("Each round starts every server in its own JVM (")
			.append(this.settings.serverHeap())
			.append(" heap, G1; once the round trips and fan-outs are done, a real Redis, a Redis Cluster and ")
			.append("the scale-out instances too, which idle beside them took about a seventh of a core), warms every ")
			.append("server up through the ")
			.append("round trip and the fan-outs, unrecorded, and stops them all after the round, so that what one JVM's JIT made ")
			.append("of a server does not weigh on every round. Each measured round trip and fan-out goes on, ")
			.append("unrecorded, after its own warm-up until half a second in which the server's JIT compiler ")
			.append("threads took at most 10 ms (at most ")
			.append(duration(this.settings.compilerQuietLimit()))
			.append(" more): opening a run's connections (a thousand upgrades before a fan-out) queues ")
			.append("compilations that would otherwise run in the measured window. It drives them from one load ")
			.append("client in the Maven ")
			.append("JVM's child (")
			.append(this.settings.clientThreads())
			.append(" Netty event loop threads, Java NIO). Two stacks are compared in the same run, each against ")
			.append("its own bare handler: the servlet stack (Tomcat) and the reactive stack (WebFlux on Reactor ")
			.append("Netty, Java NIO transport). Each round runs every scenario against every server in turn, so ")
			.append("machine noise falls on all alike, and each round starts a stack's turn one server further ")
			.append("along, so that no server always runs in the same place (in the same order every round, ours ")
			.append("ran first, ours without observability second and the bare handler third, every time). ")
			.append("Within a round the round trips and the fan-outs run in passes, every other pass in the ")
			.append("reverse order: the machine's noise from one run to the next (up to a fifth, the load ")
			.append("client's own CPU per call too) is as large as the differences measured. The tables give ")
			.append("the median over every run of every round. Latencies are ")
			.append("taken in the client, from handing a call to its connection to the return of the read that ")
			.append("brought the answer. CPU is the whole JVM's (every thread, GC and JIT too), the server's and ")
			.append("the client's apart, over the measured time, per call or delivery; \"of it JIT\" is the part ")
			.append("the server's JIT compiler threads took, which shows whether a server was still being ")
			.append("compiled while it was measured; write calls are the ")
			.append("process's write system calls per call, which show whether it batches its writes; \"others' ")
			.append("CPU\" is what the rest of the machine took in the measured time (every core's busy time ")
			.append("less the server's and the client's), in percent of one core: another server still ")
			.append("compiling or collecting shows there, and takes from the two measured. The smoke ")
			.append("test in the normal build runs the same code for about a second per scenario.\n\n");
		md.append("### The load client\n\n");
		md.append("The client shares the machine's cores with the server it measures, so every microsecond it ")
			.append("spends is taken from the server, and a client slower than the server measures itself. It is ")
			.append("built to cost as little as possible per call: requests are pre-encoded, pre-masked frames; ")
			.append("the calls owed after a read go out as one buffer and one write; replies are not parsed but ")
			.append("matched in order to their calls' send times (one connection answers in order); latencies go ")
			.append("into one HdrHistogram per event loop, without allocation; ")
			.append((this.settings.checkEvery() == 1) ? "every reply" : "one reply in " + this.settings.checkEvery())
			.append(" is checked byte for byte against the first reply, which was checked in full as JSON. ")
			.append("Its ceiling is measured in the same rounds: **")
			.append(CEILING)
			.append("** is a plain Netty server (no Spring, no JSON) that answers every frame with a ")
			.append("pre-encoded reply, one write per read; what limits a round trip against it is the client ")
			.append("and the machine. The targets require that ceiling to be above the fastest server, and the ")
			.append("client to spend less CPU per call than the server it drives, in every row. At depth 1 every ")
			.append("call costs each side a read and a write system call, the canned-reply server too, so no ")
			.append("client on the same machine can be much cheaper than a server there, and the ceiling stays ")
			.append("close to the fastest bare handler: what the client takes from the machine is its CPU per ")
			.append("call, beside the server's in every row.\n\n");
		md.append("## Machine\n\n");
		machine().forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
		md.append("\n## Servers\n\n");
		md.append("Ours is the sample app (`sample-app`) as it ships: its `echo`, `chat` and `todos` channels, ")
			.append("Spring Security with its JWT login (every request, the WebSocket upgrades too, passes its ")
			.append("filter chain; `echo` needs no token), actuator with the `health`, `pikku` and `prometheus` ")
			.append("endpoints exposed, the Prometheus registry, Pikku's metrics and observation (Boot's ")
			.append("`ObservationRegistry` with its meter handler). The load client talks to its `echo` channel; ")
			.append("the benchmark adds only an endpoint that reports the heap, read with the sample's admin ")
			.append("token as the actuator is. \"Observability off\" is the same application without actuator, ")
			.append("Micrometer's Spring Boot modules and the Prometheus registry on its class path, so Pikku's ")
			.append("metrics, observation and endpoint back off. It runs every scenario, as ours does, so that ")
			.append("the two have the same history (the JIT's profiles, what the heap holds) when their round ")
			.append("trips are compared. The bare handlers and STOMP run without them, ")
			.append("and without the sample app and the jars only it brings (Spring Security).\n\n");
		md.append("### ").append(Stack.SERVLET.title()).append("\n\n");
		md.append("- **")
			.append(Stack.SERVLET.ours())
			.append("**: the sample app's `echo` channel: `echo`, `subscribe` and `publish` with typed, validated ")
			.append("input, on the channel's own topics (`EventHub.scope(\"echo\")`), on the servlet transport ")
			.append("(Tomcat), in-memory EventHub; **")
			.append(Stack.SERVLET.unobserved())
			.append("** without observability.\n");
		md.append("- **")
			.append(Stack.SERVLET.baseline())
			.append("**: a bare `TextWebSocketHandler` that binds the frame with Jackson, in one pass, to the ")
			.append("record its `action` names (the same records and constraints as our channel's inputs), ")
			.append("validates it with Bean Validation and writes the reply record (its mapper recycles Jackson's ")
			.append("buffers per thread, as ours does, instead of Jackson's default shared pool) with the blocking ")
			.append("`sendMessage` on the thread that read the frame; fan-out is a loop over the subscribed ")
			.append("sessions (each wrapped once in a `ConcurrentWebSocketSessionDecorator`). The ceiling of ")
			.append("the stack.\n");
		md.append("- **STOMP**: `@MessageMapping` with the simple broker; the echo answered with `@SendToUser`, ")
			.append("the fan-out through `@SendTo(\"/topic/bench\")`.\n\n");
		md.append("### ").append(Stack.REACTIVE.title()).append("\n\n");
		md.append("- **")
			.append(Stack.REACTIVE.ours())
			.append("**: the same application as Pikku on the reactive transport ")
			.append("(`--spring.main.web-application-type=reactive`, as the sample runs there); `echo` and `publish` ")
			.append("are declared `nonBlocking()` and run on the event loop, `subscribe` is a blocking function as ")
			.append("the sample writes it, so it runs on the blocking executor (Reactor's ")
			.append("`boundedElastic`); **")
			.append(Stack.REACTIVE.unobserved())
			.append("** without observability.\n");
		md.append("- **")
			.append(Stack.REACTIVE.baseline())
			.append("**: a bare WebFlux `WebSocketHandler` in a `SimpleUrlHandlerMapping` doing the same JSON ")
			.append("work as the raw handler. Each session's messages go through its own unicast sink into one ")
			.append("`session.send(flux)`, which lets Reactor Netty batch the writes: Spring hands the flux to ")
			.append("`WebsocketOutbound.sendObject`, which writes each message without a flush and flushes once ")
			.append("its queue drains, after the messages of a read. Fan-out is a loop over the subscribed ")
			.append("sessions' sinks. The ceiling of the stack.\n\n");
		md.append("## Targets\n");
		Map<String, String> groups = new LinkedHashMap<>();
		for (Stack stack : Stack.values()) {
			groups.put(stack.key(), stack.title());
		}
		groups.put(Stack.CLIENT, "Load client");
		groups.forEach((key, title) -> {
			md.append("\n### ")
				.append(title)
				.append("\n\n| target | measured | bound | met |\n| --- | --- | --- | --- |\n");
			for (Target target : targets()) {
				if (!target.stack().equals(key)) {
					continue;
				}
				md.append("| ")
					.append(target.name())
					.append(" | ")
					.append(format(target.measured()))
					.append(" | ")
					.append(target.atLeast() ? "≥ " : "≤ ")
					.append(format(target.bound()))
					.append(" | ")
					.append(target.met() ? "yes" : "**no**")
					.append(" |\n");
			}
		});
		md.append("\n## Round trip\n\n")
			.append(this.settings.connections())
			.append(" connections, each keeping 1 or 8 echo calls in flight; ")
			.append(duration(this.settings.measure()))
			.append(" measured after ")
			.append(duration(this.settings.warmup()))
			.append(" of warm-up.\n");
		for (Stack stack : Stack.values()) {
			section(md, "Round trip", "round-trip", stack,
					List.of("calls/s", "p50 ms", "p99 ms", "p99.9 ms", "calls/s vs bare", "p99 vs bare",
							"server CPU µs per call", "of it JIT", "client CPU µs per call", "server writes per call",
							"others' CPU %"),
					List.of((r) -> r.figure("callsPerSecond"), (r) -> r.figure("p50Ms"), (r) -> r.figure("p99Ms"),
							(r) -> r.figure("p999Ms"), (r) -> r.ratio("callsPerSecond"), (r) -> r.ratio("p99Ms"),
							(r) -> r.figure("serverCpuUsPerCall"), (r) -> r.figure("serverJitUsPerCall"),
							(r) -> r.figure("clientCpuUsPerCall"), (r) -> r.figure("serverWritesPerCall"),
							(r) -> r.figure("othersCpuPercent")));
		}
		md.append("\n### Load client ceiling\n\n")
			.append("The same round trip against ")
			.append(CEILING)
			.append(", in the same rounds: the most this client drives on this machine, and what it costs.\n\n");
		md.append("| variant | calls/s | p50 ms | p99 ms | client CPU µs per call | client writes per call ")
			.append("| server CPU µs per call |");
		for (Stack stack : Stack.values()) {
			md.append(" vs ").append(stack.baseline()).append(" |");
		}
		md.append("\n| --- | --- | --- | --- | --- | --- | --- |");
		Arrays.stream(Stack.values()).forEach((stack) -> md.append(" --- |"));
		md.append('\n');
		for (String variant : variants("round-trip")) {
			double ceiling = median("round-trip", variant, CEILING, "callsPerSecond");
			md.append("| ").append(variant).append(" | ").append(format(ceiling));
			for (String figure : List.of("p50Ms", "p99Ms", "clientCpuUsPerCall", "clientWritesPerCall",
					"serverCpuUsPerCall")) {
				md.append(" | ").append(format(median("round-trip", variant, CEILING, figure)));
			}
			for (Stack stack : Stack.values()) {
				md.append(" | ")
					.append(format(ceiling / median("round-trip", variant, stack.baseline(), "callsPerSecond")));
			}
			md.append(" |\n");
		}
		md.append("\n## Fan-out\n\nOne publisher, each publish waiting until every subscriber has it; ")
			.append("deliveries per second of those waits, latency from the publish to each delivery. Measured ")
			.append("after a full collection in the server, which moves the subscribers' connections to the old ")
			.append("generation, where a long-running server keeps its connections: otherwise a young collection ")
			.append("promotes them in one server's measured window and not in another's, and from then on each ")
			.append("delivery's stores into them cost the collector more.\n");
		for (Stack stack : Stack.values()) {
			section(md, "Fan-out", "fan-out", stack,
					List.of("deliveries/s", "p50 ms", "p99 ms", "p99.9 ms", "deliveries/s vs bare",
							"server CPU µs per delivery", "of it JIT", "client CPU µs per delivery", "others' CPU %"),
					List.of((r) -> r.figure("deliveriesPerSecond"), (r) -> r.figure("p50Ms"), (r) -> r.figure("p99Ms"),
							(r) -> r.figure("p999Ms"), (r) -> r.ratio("deliveriesPerSecond"),
							(r) -> r.figure("serverCpuUsPerDelivery"), (r) -> r.figure("serverJitUsPerDelivery"),
							(r) -> r.figure("clientCpuUsPerDelivery"), (r) -> r.figure("othersCpuPercent")));
		}
		md.append("\n## Paced fan-out\n\nOne publisher at a fixed rate (")
			.append(this.settings.pacedVariant())
			.append("), ")
			.append(duration(this.settings.pacedMeasure()))
			.append(" measured after ")
			.append(duration(this.settings.warmup()))
			.append(" unmeasured: does the server keep up? Latency from the publish frame to each delivery; ")
			.append("\"last after\" is how long after the last publish its last delivery arrived (if some never ")
			.append("arrived, until the client gave up waiting).\n");
		for (Stack stack : Stack.values()) {
			section(md, "Paced fan-out", "paced-fan-out", stack,
					List.of("sent/s", "deliveries/s", "delivered", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
							"last after ms", "server CPU µs per delivery", "client CPU µs per delivery"),
					List.of((r) -> r.figure("sentPerSecond"), (r) -> r.figure("deliveriesPerSecond"),
							(r) -> r.figure("delivered"), (r) -> r.figure("p50Ms"), (r) -> r.figure("p99Ms"),
							(r) -> r.figure("p999Ms"), (r) -> r.figure("maxMs"), (r) -> r.figure("lastDeliveryAfterMs"),
							(r) -> r.figure("serverCpuUsPerDelivery"), (r) -> r.figure("clientCpuUsPerDelivery")));
		}
		new ScaleOutReport(this).markdown(md);
		md.append("\n## Capacity\n\nThe server's heap after full collections, before and after opening the idle ")
			.append("connections (")
			.append(this.settings.idleConnections())
			.append(" on the servlet stack, ")
			.append(this.settings.reactiveIdleConnections())
			.append(" on the reactive stack), divided by their number.\n");
		for (Stack stack : Stack.values()) {
			section(md, "Capacity", "capacity", stack, List.of("KB per connection", "vs bare"),
					List.of((r) -> r.figure("bytesPerConnection") / 1024, (r) -> r.ratio("bytesPerConnection")));
		}
		md.append("\nEvery run's figures: [`")
			.append(DIRECTORY)
			.append("/results.json`](")
			.append(DIRECTORY)
			.append("/results.json).\n");
		return md.toString();
	}

	/** A scenario's table and chart for one stack, if the stack ran it. */
	private void section(StringBuilder md, String title, String scenario, Stack stack, List<String> headers,
			List<ToDoubleFunction<Row>> cells) {
		if (variants(scenario, stack).isEmpty()) {
			return;
		}
		md.append("\n### ").append(stack.title()).append("\n\n");
		table(md, scenario, stack, headers, cells);
		md.append("\n![")
			.append(title)
			.append(", ")
			.append(stack.key())
			.append("](")
			.append(chartPath(scenario, stack))
			.append(")\n");
	}

	/** A scenario's rows, of one stack's servers (or all if {@code stack} is null). */
	private void table(StringBuilder md, String scenario, Stack stack, List<String> headers,
			List<ToDoubleFunction<Row>> cells) {
		md.append("| variant | server | ").append(String.join(" | ", headers)).append(" |\n| --- | --- |");
		headers.forEach((header) -> md.append(" --- |"));
		md.append('\n');
		for (String variant : (stack != null) ? variants(scenario, stack) : variants(scenario)) {
			Set<String> servers = new LinkedHashSet<>();
			this.results.stream()
				.filter((result) -> result.scenario().equals(scenario) && result.variant().equals(variant)
						&& (stack == null || stack.labels().contains(result.server())))
				.forEach((result) -> servers.add(result.server()));
			for (String server : servers) {
				Row row = new Row(scenario, variant, server);
				md.append("| ").append(variant).append(" | ").append(server).append(" |");
				for (ToDoubleFunction<Row> cell : cells) {
					md.append(' ').append(format(cell.applyAsDouble(row))).append(" |");
				}
				md.append('\n');
			}
		}
	}

	private static String duration(java.time.Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + " s" : millis + " ms";
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "–";
		}
		if (Math.abs(value) >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (Math.abs(value) >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

	static Map<String, String> machine() {
		Map<String, String> machine = new LinkedHashMap<>();
		machine.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			machine.put("Memory", (os.getTotalMemorySize() >> 30) + " GiB");
		}
		machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
				+ System.getProperty("os.arch") + ")");
		machine.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
		return machine;
	}

	private static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	/**
	 * One row of a table: a figure's median, and its ratio to the bare handler's of the
	 * same stack.
	 */
	private final class Row {

		private final String scenario;

		private final String variant;

		private final String server;

		Row(String scenario, String variant, String server) {
			this.scenario = scenario;
			this.variant = variant;
			this.server = server;
		}

		double figure(String figure) {
			return median(this.scenario, this.variant, this.server, figure);
		}

		double ratio(String figure) {
			return figure(figure) / median(this.scenario, this.variant, Stack.of(this.server).baseline(), figure);
		}

	}

	/**
	 * A target of the benchmark issue and what was measured against it.
	 *
	 * @param stack the stack it is about: {@code servlet} or {@code reactive}
	 * @param name what is compared
	 * @param atLeast whether the measured value must be at least the bound (else at most)
	 * @param bound the bound
	 * @param measured the median measured
	 */
	record Target(String stack, String name, boolean atLeast, double bound, double measured) {

		static Target atLeast(String stack, String name, double bound, double measured) {
			return new Target(stack, name, true, bound, measured);
		}

		static Target atMost(String stack, String name, double bound, double measured) {
			return new Target(stack, name, false, bound, measured);
		}

		boolean met() {
			return atLeast ? measured >= bound : measured <= bound;
		}

	}

}
