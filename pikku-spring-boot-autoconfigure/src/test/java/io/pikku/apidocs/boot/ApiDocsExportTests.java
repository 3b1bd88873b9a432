package io.pikku.apidocs.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.pikku.test.AsyncApiSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ApiDocsExport}: the files a build writes, without a web server.
 */
class ApiDocsExportTests {

	@Test
	void writesTheDocumentAndTheClient(@TempDir Path directory) throws Exception {
		Path asyncApi = directory.resolve("docs/asyncapi.json");
		Path client = directory.resolve("static");
		List<Path> written = ApiDocsExport.export(DocumentedChannels.class.getName(), "--asyncapi=" + asyncApi,
				"--client-dir=" + client, "--server.port=9090");
		assertThat(written).containsExactly(asyncApi, client.resolve("pikku-websocket.gen.ts"),
				client.resolve("pikku-websocket.gen.js"), client.resolve("pikku-websocket.gen.d.ts"));
		JsonNode document = JsonMapper.builder().build().readTree(Files.readString(asyncApi));
		assertThat(AsyncApiSchema.problems(document)).isEmpty();
		assertThat(document.get("servers").toString())
			.isEqualTo("{\"local\":{\"host\":\"localhost:9090\",\"protocol\":\"ws\"}}");
		assertThat(Files.readString(client.resolve("pikku-websocket.gen.ts"))).contains("readonly notes: {");
	}

	@Test
	void writesYamlForAYamlFileAndNamesConfiguredServers(@TempDir Path directory) throws Exception {
		Path asyncApi = directory.resolve("asyncapi.yaml");
		ApiDocsExport.export(DocumentedChannels.class.getName(), "--asyncapi=" + asyncApi,
				"--pikku.api-docs.servers.production=wss://notes.example.com");
		assertThat(Files.readString(asyncApi)).contains("asyncapi: \"3.0.0\"")
			.contains("host: \"notes.example.com\"")
			.contains("protocol: \"wss\"");
	}

	@Test
	void withoutAnApplicationClassItSaysHowToRunIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiDocsExport.export("--asyncapi=a.json"))
			.withMessageStartingWith("Usage: ApiDocsExport <application class>");
	}

	@Test
	void withNothingToWriteItSaysWhatToGive() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiDocsExport.export(DocumentedChannels.class.getName()))
			.withMessageStartingWith("Nothing to write: give --asyncapi, --client-dir or both.");
	}

	@Test
	void withTheDocsDisabledItSaysSo(@TempDir Path directory) {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> ApiDocsExport.export(DocumentedChannels.class.getName(),
					"--asyncapi=" + directory.resolve("a.json"), "--pikku.api-docs.enabled=false"))
			.withMessageContaining("The application describes no channels");
	}

}
