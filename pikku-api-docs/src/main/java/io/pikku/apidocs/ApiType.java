package io.pikku.apidocs;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A type on the wire: its JSON Schema (usually a reference into the description's
 * schemas) and how it travels in a frame.
 *
 * @param kind how the value travels
 * @param schema its JSON Schema; an empty schema for {@link Kind#NONE} and
 * {@link Kind#ANY}
 */
public record ApiType(Kind kind, JsonNode schema) {

	/** No value: an input without fields, or a reply with only the routing property. */
	public static final ApiType NONE = new ApiType(Kind.NONE, JsonNodeFactory.instance.objectNode());

	/** Any JSON: an unknown type, {@code Object} or {@code JsonNode}. */
	public static final ApiType ANY = new ApiType(Kind.ANY, JsonNodeFactory.instance.objectNode());

	/**
	 * How a value travels in a frame.
	 */
	public enum Kind {

		/** Nothing ({@code Void}). */
		NONE,

		/** A JSON object, whose fields a reply or delivery carries at its top level. */
		OBJECT,

		/**
		 * Any other JSON value (a string, number, array...), which a reply carries in
		 * {@code result} and a delivery in {@code data}.
		 */
		VALUE,

		/** Any JSON: an object's fields at the top level, or a wrapped value. */
		ANY

	}

}
