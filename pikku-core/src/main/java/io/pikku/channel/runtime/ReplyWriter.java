package io.pikku.channel.runtime;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.pikku.channel.PikkuException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.PropertyWriter;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.bean.UnwrappingBeanPropertyWriter;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.databind.util.NameTransformer;

/**
 * Writes replies and error frames: a result with the routing property (and correlation
 * id) of the frame it answers added back, or the structured error shape.
 */
final class ReplyWriter {

	private static final Object NOT_UNWRAPPABLE = new Object();

	private final JsonMapper mapper;

	private final String correlationField;

	/**
	 * Per result class: its {@link FieldWriter}, or {@link #NOT_UNWRAPPABLE}. A class may
	 * answer actions of several routing properties, so a clash with one of them is
	 * checked per reply.
	 */
	private final Map<Class<?>, Object> fieldWriters = new ConcurrentHashMap<>();

	ReplyWriter(JsonMapper mapper, String correlationField) {
		this.mapper = mapper;
		this.correlationField = correlationField;
	}

	/**
	 * A routed call's reply as JSON text, written without a tree: the routing property
	 * (and correlation) in front of the result's fields. A bean or record is written in
	 * one pass through its own serializer, unwrapped; anything else is written alone and
	 * spliced in.
	 * @param replyTo the frame answered
	 * @param result the result, not a {@link JsonNode}
	 * @return the reply, or {@code null} when that would differ from {@link #replyTree}:
	 * the result is not an object, or may carry a field of the same name (which the
	 * reply's own must win)
	 */
	@Nullable String replyText(ReplyTo replyTo, Object result) {
		Object known = this.fieldWriters.get(result.getClass());
		if (known instanceof FieldWriter writer && writer.names().contains(replyTo.routingProperty())) {
			return null;
		}
		if (known != NOT_UNWRAPPABLE) {
			try {
				return this.mapper.writeValueAsString(new Reply(this, replyTo, result));
			}
			catch (NotUnwrappableException ex) {
				if (ex == NotUnwrappableException.CLASH) {
					return null;
				}
				this.fieldWriters.put(result.getClass(), NOT_UNWRAPPABLE);
			}
		}
		return splice(replyTo, result);
	}

	/**
	 * Whether replies with results of a class are written in one pass (when the result
	 * has no field named like the routing property).
	 * @param type the result's class
	 * @return {@code true} once a result of the class has been answered and can be
	 */
	boolean writesInOnePass(Class<?> type) {
		return this.fieldWriters.get(type) instanceof FieldWriter;
	}

	private @Nullable String splice(ReplyTo replyTo, Object result) {
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
	 * The serializer that writes a result's fields without braces, found the first time a
	 * result of its class is answered.
	 * @throws NotUnwrappableException if the result's class is not a plain bean whose
	 * fields can follow the reply's own: it has a type id, an object id, an any-getter,
	 * an unwrapped property, or a property named like the correlation field
	 * ({@link NotUnwrappableException#INSTANCE}); or one named like this routing property
	 * ({@link NotUnwrappableException#CLASH})
	 */
	ValueSerializer<Object> fieldWriter(Class<?> type, String routingProperty, SerializationContext context) {
		FieldWriter writer = (this.fieldWriters.get(type) instanceof FieldWriter known) ? known
				: newFieldWriter(type, context);
		if (writer.names().contains(routingProperty)) {
			throw NotUnwrappableException.CLASH;
		}
		return writer.fields();
	}

	private FieldWriter newFieldWriter(Class<?> type, SerializationContext context) {
		ValueSerializer<Object> serializer = context.findTypedValueSerializer(type, true);
		if (!(serializer instanceof BeanSerializerBase bean) || bean.usesObjectId()
				|| context.introspectBeanDescription(context.constructType(type)).findAnyGetter() != null) {
			throw NotUnwrappableException.INSTANCE;
		}
		Set<String> names = new HashSet<>();
		for (Iterator<PropertyWriter> properties = bean.properties(); properties.hasNext();) {
			PropertyWriter property = properties.next();
			if (property instanceof UnwrappingBeanPropertyWriter || property.getName().equals(this.correlationField)) {
				throw NotUnwrappableException.INSTANCE;
			}
			names.add(property.getName());
		}
		FieldWriter writer = new FieldWriter(bean.unwrappingSerializer(NameTransformer.NOP), Set.copyOf(names));
		this.fieldWriters.put(type, writer);
		return writer;
	}

	/**
	 * Writes a result class's fields without braces.
	 *
	 * @param fields the unwrapping serializer
	 * @param names the names of the fields it writes
	 */
	private record FieldWriter(ValueSerializer<Object> fields, Set<String> names) {
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

	/** A reply to be written in one pass by {@link ReplySerializer}. */
	@JsonSerialize(using = ReplySerializer.class)
	record Reply(ReplyWriter writer, ReplyTo replyTo, Object result) {
	}

	/**
	 * Writes a {@link Reply}: the frame's routing property and correlation, then the
	 * result's fields.
	 */
	static final class ReplySerializer extends StdSerializer<Reply> {

		ReplySerializer() {
			super(Reply.class);
		}

		@Override
		public void serialize(Reply reply, JsonGenerator generator, SerializationContext context) {
			ReplyTo replyTo = reply.replyTo();
			ValueSerializer<Object> fields = reply.writer()
				.fieldWriter(reply.result().getClass(), replyTo.routingProperty(), context);
			generator.writeStartObject(reply.result());
			generator.writeName(replyTo.routingProperty());
			replyTo.routingValue().serialize(generator, context);
			if (replyTo.correlation() != null) {
				generator.writeName(reply.writer().correlationField);
				replyTo.correlation().serialize(generator, context);
			}
			fields.serialize(reply.result(), generator, context);
			generator.writeEndObject();
		}

	}

	/** The result cannot be written unwrapped. Thrown without a stack. */
	static final class NotUnwrappableException extends RuntimeException {

		/** Never, for results of that class. */
		static final NotUnwrappableException INSTANCE = new NotUnwrappableException();

		/** Not after this routing property, which the result has a field of. */
		static final NotUnwrappableException CLASH = new NotUnwrappableException();

		private NotUnwrappableException() {
			super(null, null, false, false);
		}

	}

}
