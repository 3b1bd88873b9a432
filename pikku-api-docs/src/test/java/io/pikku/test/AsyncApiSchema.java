package io.pikku.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AsyncAPI 3.0.0 JSON Schema (from {@code @asyncapi/specs} 6.11.1, Apache-2.0,
 * vendored beside this class), to validate generated documents against.
 */
public final class AsyncApiSchema {

	private static final Schema SCHEMA = load();

	private AsyncApiSchema() {
	}

	private static Schema load() {
		try (InputStream input = AsyncApiSchema.class.getResourceAsStream("asyncapi/asyncapi-3.0.0.json")) {
			JsonNode schema = JsonMapper.builder().build().readTree(input);
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schema);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Validates a document.
	 * @param document an AsyncAPI document
	 * @return the problems, as "location: message"; empty when the document is valid
	 */
	public static List<String> problems(JsonNode document) {
		return SCHEMA.validate(document).stream().map(AsyncApiSchema::describe).toList();
	}

	private static String describe(Error error) {
		return error.getInstanceLocation() + ": " + error.getMessage();
	}

}
