package io.pikku.apidocs.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.pikku.apidocs.ApiDescription;
import io.pikku.apidocs.ApiServer;
import io.pikku.apidocs.AsyncApiWriter;
import io.pikku.apidocs.typescript.TypeScriptClient;
import io.pikku.apidocs.typescript.TypeScriptClientWriter;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API description of the application's channels, as an AsyncAPI document and a
 * TypeScript client. Served at {@code pikku.api-docs.path} and written at build time by
 * {@link ApiDocsExport}.
 */
public class PikkuApiDocs {

	private final ApiDescription description;

	private final List<ApiServer> servers;

	private final AsyncApiWriter asyncApi;

	private final TypeScriptClientWriter typeScript;

	private volatile @Nullable TypeScriptClient client;

	/**
	 * API docs of a description.
	 * @param description the description of the channels
	 * @param servers the configured servers, or none to take them from each request
	 * @param jsonMapper the mapper that writes the documents
	 */
	public PikkuApiDocs(ApiDescription description, List<ApiServer> servers, JsonMapper jsonMapper) {
		this.description = description;
		this.servers = List.copyOf(servers);
		this.asyncApi = new AsyncApiWriter(jsonMapper);
		this.typeScript = new TypeScriptClientWriter(jsonMapper);
	}

	/**
	 * The description of the channels.
	 * @return the description
	 */
	public ApiDescription description() {
		return this.description;
	}

	/**
	 * The configured servers ({@code pikku.api-docs.servers}).
	 * @return the servers, possibly none
	 */
	public List<ApiServer> servers() {
		return this.servers;
	}

	/**
	 * The AsyncAPI document.
	 * @param servers the servers it names
	 * @return the document
	 */
	public ObjectNode asyncApi(List<ApiServer> servers) {
		return this.asyncApi.write(this.description, servers);
	}

	/**
	 * The AsyncAPI document as JSON.
	 * @param servers the servers it names
	 * @return the JSON
	 */
	public String asyncApiJson(List<ApiServer> servers) {
		return this.asyncApi.toJson(asyncApi(servers));
	}

	/**
	 * The AsyncAPI document as YAML.
	 * @param servers the servers it names
	 * @return the YAML
	 * @throws IllegalStateException without Jackson's YAML module
	 */
	public String asyncApiYaml(List<ApiServer> servers) {
		return this.asyncApi.toYaml(asyncApi(servers));
	}

	/**
	 * The TypeScript client.
	 * @return the client's files
	 */
	public TypeScriptClient typeScriptClient() {
		TypeScriptClient client = this.client;
		if (client == null) {
			client = this.typeScript.write(this.description);
			this.client = client;
		}
		return client;
	}

	/**
	 * Writes the AsyncAPI document and the TypeScript client.
	 * @param asyncApiFile where to write the document ({@code .yaml} or {@code .yml} for
	 * YAML, else JSON), or {@code null} not to
	 * @param clientDirectory where to write the client's three files, or {@code null} not
	 * to
	 * @param servers the servers the document names
	 * @return the files written
	 * @throws IOException if a file cannot be written
	 */
	public List<Path> write(@Nullable Path asyncApiFile, @Nullable Path clientDirectory, List<ApiServer> servers)
			throws IOException {
		List<Path> written = new ArrayList<>();
		if (asyncApiFile != null) {
			String name = asyncApiFile.getFileName().toString();
			String content = (name.endsWith(".yaml") || name.endsWith(".yml")) ? asyncApiYaml(servers)
					: asyncApiJson(servers);
			Path parent = asyncApiFile.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(asyncApiFile, content, StandardCharsets.UTF_8);
			written.add(asyncApiFile);
		}
		if (clientDirectory != null) {
			TypeScriptClient client = typeScriptClient();
			client.writeTo(clientDirectory);
			client.files().keySet().forEach((file) -> written.add(clientDirectory.resolve(file)));
		}
		return written;
	}

}
