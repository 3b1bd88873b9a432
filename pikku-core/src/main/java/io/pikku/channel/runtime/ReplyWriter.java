package io.pikku.channel.runtime;

import java.util.Map;

import io.pikku.channel.PikkuException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes replies and error frames: a result with the routing property (and correlation
 * id) of the frame it answers added back, or the structured error shape.
 */
final class ReplyWriter {

	private final JsonMapper mapper;

	private final String correlationField;

	ReplyWriter(JsonMapper mapper, String correlationField) {
		this.mapper = mapper;
		this.correlationField = correlationField;
	}

	/**
	 * A routed call's reply as JSON text, written from the result's own JSON without a
	 * tree: the routing property (and correlation) spliced in front of the result's
	 * fields.
	 * @param replyTo the frame answered
	 * @param result the result, not a {@link JsonNode}
	 * @return the reply, or {@code null} when splicing would differ from
	 * {@link #replyTree}: the result is not an object, or may carry a field of the same
	 * name (which the reply's own must win)
	 */
	@Nullable String replyText(ReplyTo replyTo, Object result) {
		String json = this.mapper.writeValueAsString(result);
		if (json.length() < 2 || json.charAt(0) != '{') {
			return null;
		}
		String routing = replyTo.routingProperty();
		if (json.contains("\"" + routing + "\"")
				|| (replyTo.correlation() != null && json.contains("\"" + this.correlationField + "\""))) {
			return null;
		}
		StringBuilder reply = new StringBuilder(json.length() + 64).append('{');
		appendQuoted(reply, routing).append(':');
		appendJson(reply, replyTo.routingValue());
		JsonNode correlation = replyTo.correlation();
		if (correlation != null) {
			appendQuoted(reply.append(','), this.correlationField).append(':');
			appendJson(reply, correlation);
		}
		if (json.length() > 2) {
			reply.append(',').append(json, 1, json.length());
		}
		else {
			reply.append('}');
		}
		return reply.toString();
	}

	/**
	 * A routed call's reply as a tree: the routing property and correlation, then the
	 * result's fields, or the result under {@code result} if it is not an object.
	 * @param replyTo the frame answered
	 * @param result the result, or {@code null} for an acknowledgement
	 * @return the reply
	 */
	ObjectNode replyTree(ReplyTo replyTo, @Nullable Object result) {
		ObjectNode reply = this.mapper.createObjectNode();
		reply.set(replyTo.routingProperty(), replyTo.routingValue());
		if (replyTo.correlation() != null) {
			reply.set(this.correlationField, replyTo.correlation());
		}
		if (result != null) {
			JsonNode tree = this.mapper.valueToTree(result);
			if (tree instanceof ObjectNode object) {
				for (Map.Entry<String, JsonNode> field : object.properties()) {
					if (!reply.has(field.getKey())) {
						reply.set(field.getKey(), field.getValue());
					}
				}
			}
			else if (!tree.isNull()) {
				reply.set("result", tree);
			}
		}
		return reply;
	}

	/**
	 * The default handler's reply: its result as it is, with the correlation id added to
	 * an object.
	 * @param replyTo the frame answered
	 * @param result the result
	 * @return the reply
	 */
	JsonNode defaultReply(ReplyTo replyTo, Object result) {
		JsonNode tree = this.mapper.valueToTree(result);
		if (tree instanceof ObjectNode object && replyTo.correlation() != null) {
			object.set(this.correlationField, replyTo.correlation());
		}
		return tree;
	}

	/**
	 * An error frame: the routing property and correlation id of the frame, if it had
	 * them, and the error.
	 * @param replyTo the frame answered
	 * @param error the error
	 * @return the frame as JSON text
	 */
	String error(ReplyTo replyTo, PikkuException error) {
		ObjectNode reply = this.mapper.createObjectNode();
		if (replyTo.routingProperty() != null) {
			reply.set(replyTo.routingProperty(), replyTo.routingValue());
		}
		if (replyTo.correlation() != null) {
			reply.set(this.correlationField, replyTo.correlation());
		}
		reply.set("error", errorNode(error));
		return this.mapper.writeValueAsString(reply);
	}

	/**
	 * The body of a refused upgrade: {@code {"error": {...}}}.
	 * @param error the error
	 * @return the body as JSON text
	 */
	String errorBody(PikkuException error) {
		ObjectNode body = this.mapper.createObjectNode();
		body.set("error", errorNode(error));
		return this.mapper.writeValueAsString(body);
	}

	private ObjectNode errorNode(PikkuException error) {
		ObjectNode node = this.mapper.createObjectNode();
		node.put("code", error.getCode());
		node.put("message", error.getMessage());
		if (error.getDetails() != null) {
			node.set("details", this.mapper.valueToTree(error.getDetails()));
		}
		return node;
	}

	private static StringBuilder appendQuoted(StringBuilder json, String text) {
		json.append('"');
		JsonStringEncoder.getInstance().quoteAsString(text, json);
		return json.append('"');
	}

	/** Appends a routing value or correlation id: a string, a number or a boolean. */
	private void appendJson(StringBuilder json, JsonNode value) {
		if (value.isString()) {
			appendQuoted(json, value.stringValue());
		}
		else if (value.isIntegralNumber() && value.canConvertToLong()) {
			json.append(value.longValue());
		}
		else {
			json.append(this.mapper.writeValueAsString(value));
		}
	}

}
