package io.pikku.sample.apidocs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pikku.apidocs.boot.ApiDocsExport;
import io.pikku.sample.SampleApplication;
import io.pikku.test.TypeScriptTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample's committed AsyncAPI file and TypeScript client: what the generator writes
 * now, and TypeScript (pinned, from npm) accepts the client with {@code --strict}.
 */
class GeneratedClientTests {

	/** The command that writes them, as the README documents it. */
	static final String COMMAND = "./mvnw -pl sample-app -am -Ppikku-client test-compile";

	static final Path STATIC = Path.of("src/main/resources/static");

	static final List<String> CLIENT = List.of("pikku-websocket.gen.ts", "pikku-websocket.gen.js",
			"pikku-websocket.gen.d.ts");

	@Test
	void committedFilesAreWhatTheGeneratorWritesNow(@TempDir Path directory) throws Exception {
		ApiDocsExport.export(SampleApplication.class.getName(), "--asyncapi=" + directory.resolve("asyncapi.json"),
				"--client-dir=" + directory.resolve("static"));
		String hint = "the committed file differs from what the generator writes now: run '" + COMMAND
				+ "' and commit the result";
		assertThat(Files.readString(Path.of("asyncapi.json"))).as("asyncapi.json: " + hint)
			.isEqualTo(Files.readString(directory.resolve("asyncapi.json")));
		for (String file : CLIENT) {
			assertThat(Files.readString(STATIC.resolve(file))).as(file + ": " + hint)
				.isEqualTo(Files.readString(directory.resolve("static").resolve(file)));
		}
	}

	@Test
	void readmeAndPomStateTheCommandAndThePluginVersionOfTheBuild() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		assertThat(readme).contains("`" + COMMAND + "`");
		assertThat(Files.readString(Path.of("pom.xml"))).contains(COMMAND);
		Matcher version = Pattern.compile("<exec-maven-plugin.version>([^<]+)<")
			.matcher(Files.readString(Path.of("../pom.xml")));
		assertThat(version.find()).as("exec-maven-plugin.version in the root pom").isTrue();
		assertThat(readme).contains(
				"<artifactId>exec-maven-plugin</artifactId>\n\t\t\t\t<version>" + version.group(1) + "</version>");
	}

	@Test
	void clientTypeChecksStrictlyAndCatchesWrongCalls(@TempDir Path directory) throws IOException {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
		for (String file : CLIENT) {
			Files.copy(STATIC.resolve(file), directory.resolve(file));
		}
		Files.copy(Path.of("src/test/typescript/usage.ts"), directory.resolve("usage.ts"));
		TypeScriptTools.Result result = TypeScriptTools.tsc(directory, "--strict", "--noEmit", "--target", "es2022",
				"--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom", "pikku-websocket.gen.ts",
				"usage.ts");
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void pageScriptsAreValidModules(@TempDir Path directory) throws IOException {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
		for (String file : List.of("pikku-websocket.gen.js", "app.js")) {
			Path module = asModule(directory, file);
			TypeScriptTools.Result result = TypeScriptTools.node(directory, "--check", module.toString());
			assertThat(result.exitCode()).as(file + ": " + result.output()).isZero();
		}
	}

	/**
	 * A copy of one of the page's scripts that Node reads as an ES module, as a browser
	 * does (Node before 22 reads a {@code .js} file outside a {@code "type": "module"}
	 * package as CommonJS).
	 * @param directory where to copy it
	 * @param file the script
	 * @return the copy
	 * @throws IOException if it cannot be copied
	 */
	static Path asModule(Path directory, String file) throws IOException {
		Files.writeString(directory.resolve("package.json"), "{\"type\": \"module\"}\n");
		return Files.copy(STATIC.resolve(file), directory.resolve(file),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

}
