package io.pikku.apidocs.typescript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generated TypeScript client: an ES module, its typings and its TypeScript source.
 *
 * @param baseName the base name of the files, e.g. {@code pikku-websocket.gen}
 * @param typeScript the TypeScript source ({@code .ts})
 * @param javaScript the ES module ({@code .js}), for pages without a bundler
 * @param declarations the typings of the ES module ({@code .d.ts})
 */
public record TypeScriptClient(String baseName, String typeScript, String javaScript, String declarations) {

	/**
	 * The files by name.
	 * @return the file names and contents, the {@code .ts} first
	 */
	public Map<String, String> files() {
		Map<String, String> files = new LinkedHashMap<>();
		files.put(this.baseName + ".ts", this.typeScript);
		files.put(this.baseName + ".js", this.javaScript);
		files.put(this.baseName + ".d.ts", this.declarations);
		return files;
	}

	/**
	 * Writes the three files into a directory, creating it if needed.
	 * @param directory the directory
	 * @throws IOException if a file cannot be written
	 */
	public void writeTo(Path directory) throws IOException {
		Files.createDirectories(directory);
		for (Map.Entry<String, String> file : files().entrySet()) {
			Files.writeString(directory.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
		}
	}

}
