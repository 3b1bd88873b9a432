package io.pikku.sample.apidocs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * every connection (the onOpen hook logs in and subscribes again). Skipped without
 * Node.js.
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
		Path module = GeneratedClientTests.asModule(directory, "pikku-websocket.gen.js");
		List<String> command = List.of("node", Path.of("src/test/typescript/roundtrip.mjs").toAbsolutePath().toString(),
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
				if ("close-me".equals(step.path("step").asString())) {
					this.runtime.connections()
						.forEach((connection) -> this.runtime.close(connection.channelId(), 1012, "restarting"));
				}
				else if ("done".equals(step.path("step").asString())) {
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

}
