package io.pikku.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the Java client costs per call: sequential round trips of one {@code echo} call
 * through {@link PikkuConnection#call} against a bare JDK {@link WebSocket} sending the
 * same frame and reading the same reply with Jackson, on one connection each, against the
 * same server (this JVM, loopback). Rounds alternate between the two so that drift hits
 * both. Not a test: run it, read the numbers.
 *
 * <pre>
 * ./mvnw -B -ntp -pl pikku-spring-boot-autoconfigure -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/benchmark.classpath -Dmdep.includeScope=test -q
 * java -cp pikku-spring-boot-autoconfigure/target/test-classes:pikku-spring-boot-autoconfigure/target/classes:$(cat pikku-spring-boot-autoconfigure/target/benchmark.classpath) \
 *     io.pikku.client.RoundTripBenchmark 5000 servlet
 * </pre>
 *
 * Arguments: calls per round (5000), stack ({@code servlet} or {@code reactive}), rounds
 * (3).
 */
public final class RoundTripBenchmark {

	private static final JsonMapper json = JsonMapper.builder().build();

	private RoundTripBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int calls = (args.length > 0) ? Integer.parseInt(args[0]) : 5000;
		WebApplicationType stack = (args.length > 1 && args[1].equals("reactive")) ? WebApplicationType.REACTIVE
				: WebApplicationType.SERVLET;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(ClientTestChannels.class).web(stack)
			.properties("server.port=0", "logging.level.root=WARN",
					"spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
			.run()) {
			String base = "ws://localhost:" + server.getEnvironment().getProperty("local.server.port");
			PikkuConnection client = PikkuClient.builder(base)
				.build()
				.connect("/calls/{room}", Map.of("room", "bench"))
				.get(10, TimeUnit.SECONDS);
			Bare bare = new Bare(URI.create(base + "/calls/bench"));
			System.out.printf("%s stack, %d sequential echo calls per round, %d rounds, %d cores (shared)%n", stack,
					calls, rounds, Runtime.getRuntime().availableProcessors());
			measure("warm-up bare", calls, bare::call);
			measure("warm-up client", calls, (i) -> client.call("echo", new Text("hello " + i), Text.class).join());
			for (int round = 1; round <= rounds; round++) {
				measure("round " + round + " bare JDK WebSocket", calls, bare::call);
				measure("round " + round + " PikkuClient      ", calls,
						(i) -> client.call("echo", new Text("hello " + i), Text.class).join());
			}
			client.close();
			bare.close();
		}
	}

	private static void measure(String name, int calls, Call call) throws Exception {
		long[] nanos = new long[calls];
		long start = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			long before = System.nanoTime();
			call.run(i);
			nanos[i] = System.nanoTime() - before;
		}
		long total = System.nanoTime() - start;
		Arrays.sort(nanos);
		System.out.printf("%s: mean %6.1f us, p50 %6.1f us, p99 %7.1f us, %7.0f calls/s%n", name,
				total / 1000.0 / calls, nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0,
				calls / (total / 1e9));
	}

	@FunctionalInterface
	private interface Call {

		void run(int i) throws Exception;

	}

	record Text(String text) {
	}

	/**
	 * The same call on the JDK's WebSocket with nothing around it: one call at a time,
	 * the reply read with Jackson and its correlation id checked.
	 */
	private static final class Bare implements WebSocket.Listener {

		private final WebSocket socket;

		private final StringBuilder parts = new StringBuilder();

		private volatile CompletableFuture<String> reply = new CompletableFuture<>();

		Bare(URI uri) {
			this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, this).join();
			this.reply.join();
		}

		void call(int i) {
			this.reply = new CompletableFuture<>();
			String id = Integer.toString(i);
			this.socket
				.sendText(json.writeValueAsString(Map.of("action", "echo", "text", "hello " + i, "correlationId", id)),
						true)
				.join();
			JsonNode answer = json.readTree(this.reply.join());
			if (!id.equals(answer.path("correlationId").asString()) || answer.path("text").isMissingNode()) {
				throw new IllegalStateException("Unexpected reply " + answer);
			}
			json.treeToValue(answer, Text.class);
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.parts.append(data);
			if (last) {
				this.reply.complete(this.parts.toString());
				this.parts.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		void close() {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		}

	}

}
