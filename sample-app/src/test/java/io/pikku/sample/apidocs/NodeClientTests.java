package io.pikku.sample.apidocs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.sample.SampleApplication;
import io.pikku.sample.SampleLogin;
import io.pikku.test.TypeScriptTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample's generated client in Node against the running sample: a call, a typed
 * error, the onConnect message, a topic delivery, and a reconnect after the server closes
 * every connection (the onOpen hook logs in and subscribes again); and code written for
 * Pikku's {@code @pikku/websocket} on the generated {@code PikkuWebSocket}, which sends
 * no correlation id and receives replies and errors by action and deliveries by topic.
 * Skipped without Node.js.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class NodeClientTests {

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@BeforeAll
	static void requireNode() {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
	}

	@Test
	void callsGetTypedErrorsReceiveTopicsAndReconnect(@TempDir Path directory) throws Exception {
		JsonNode results = node(directory, "roundtrip.mjs", (step) -> {
			if ("close-me".equals(step)) {
				this.runtime.connections()
					.forEach((connection) -> this.runtime.close(connection.channelId(), 1012, "restarting"));
			}
		});
		assertThat(results.get("echo").toString()).isEqualTo("{\"text\":\"hello from node\"}");
		assertThat(results.get("validation").toString()).isEqualTo("{\"isPikkuError\":true,\"isEchoError\":true,"
				+ "\"code\":\"validation_failed\",\"details\":[{\"field\":\"text\","
				+ "\"message\":\"size must be between 1 and 10000\"}]}");
		assertThat(results.get("welcome").toString()).isEqualTo("{\"welcome\":\"Welcome to node!\"}");
		assertThat(results.get("created").asString()).isEqualTo("first from node");
		assertThat(results.at("/delivery/topic").asString()).isEqualTo("todos:updated");
		assertThat(results.at("/delivery/event").asString()).isEqualTo("created");
		assertThat(results.at("/delivery/todo/owner").asString()).isEqualTo("alice");
		assertThat(results.get("notFound").toString()).isEqualTo(
				"{\"code\":\"not_found\"," + "\"message\":\"No todo with id no-such-todo\",\"action\":\"complete\"}");
		assertThat(results.get("afterReconnect").asString()).isEqualTo("second from node");
		assertThat(results.get("opens").asInt()).isEqualTo(2);
		assertThat(results.get("statuses").toString()).isEqualTo("[\"connecting\",\"open\",\"reconnecting\",\"open\"]");
	}

	@Test
	void pikkuStyleCodeGetsRepliesErrorsAndTopicsByActionAndTopic(@TempDir Path directory) throws Exception {
		JsonNode results = node(directory, "pikku-websocket.mjs", (step) -> {
		});
		assertThat(results.get("unauthorized").toString()).isEqualTo("{\"action\":\"create\",\"error\":"
				+ "{\"code\":\"unauthorized\",\"message\":\"Authentication required\"}}");
		assertThat(results.get("auth").toString())
			.isEqualTo("{\"action\":\"auth\",\"authenticated\":true,\"userId\":\"alice\"}");
		assertThat(results.get("subscribe").toString()).isEqualTo("{\"action\":\"subscribe\",\"subscribed\":true}");
		assertThat(results.get("created").toString())
			.isEqualTo("{\"keys\":[\"action\",\"todo\"],\"text\":\"from pikku\",\"owner\":\"alice\"}");
		assertThat(results.get("delivery").toString())
			.isEqualTo("{\"topic\":\"todos:updated\",\"event\":\"created\",\"text\":\"from pikku\",\"id\":true}");
		assertThat(results.get("invalid").toString()).isEqualTo("{\"action\":\"create\",\"error\":"
				+ "{\"code\":\"validation_failed\",\"message\":\"Invalid input\",\"details\":"
				+ "[{\"field\":\"text\",\"message\":\"size must be between 1 and 500\"}]}}");
		assertThat(results.get("notFound").toString()).isEqualTo("{\"action\":\"complete\",\"error\":"
				+ "{\"code\":\"not_found\",\"message\":\"No todo with id no-such-todo\"}}");
		assertThat(results.get("creates").toString())
			.isEqualTo("[\"unauthorized\",\"from pikku\",\"validation_failed\"]");
		assertThat(results.get("deliveries").toString()).isEqualTo("[\"created from pikku\"]");
		assertThat(results.get("listWithToken").toString())
			.isEqualTo("{\"action\":\"list\",\"texts\":[\"from pikku\"]}");
	}

	/**
	 * Runs one of the scripts beside {@code roundtrip.mjs} with the sample's generated
	 * client against this server.
	 * @param directory where the client is copied
	 * @param script the script
	 * @param steps told the {@code step} of every line the script prints
	 * @return the {@code results} of its {@code done} line
	 * @throws Exception if it cannot run
	 */
	private JsonNode node(Path directory, String script, Consumer<String> steps) throws Exception {
		Path module = GeneratedClientTests.asModule(directory, "pikku-websocket.gen.js");
		List<String> command = List.of("node", Path.of("src/test/typescript", script).toAbsolutePath().toString(),
				module.toString(), "ws://localhost:" + this.port, SampleLogin.token(this.port, "alice"),
				TypeScriptTools.modules().toString());
		Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> output = new ArrayList<>();
		JsonNode results = null;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				output.add(line);
				if (!line.startsWith("{")) {
					continue;
				}
				JsonNode step = JsonMapper.builder().build().readTree(line);
				steps.accept(step.path("step").asString());
				if ("done".equals(step.path("step").asString())) {
					results = step.get("results");
				}
			}
		}
		finally {
			if (!node.waitFor(30, TimeUnit.SECONDS)) {
				node.destroyForcibly();
			}
		}
		assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
		assertThat(results).as(String.join("\n", output)).isNotNull();
		return results;
	}

}
