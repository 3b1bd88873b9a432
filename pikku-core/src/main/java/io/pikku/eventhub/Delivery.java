package io.pikku.eventhub;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One published message as its subscribers receive it, framed with its topic. It is
 * written to JSON once, however many subscribers (and instances) receive it; its text and
 * its tree are made from that JSON when first asked for.
 */
public final class Delivery {

	private final String topic;

	private final JsonMapper mapper;

	private volatile byte @Nullable [] utf8;

	private volatile @Nullable String text;

	private volatile @Nullable JsonNode message;

	private Delivery(String topic, JsonMapper mapper, byte @Nullable [] utf8, @Nullable String text) {
		this.topic = topic;
		this.mapper = mapper;
		this.utf8 = utf8;
		this.text = text;
	}

	/**
	 * Frames a payload for a topic: an object payload gets a {@code topic} field (unless
	 * it has its own, different one), anything else is wrapped as {@code {"topic": ...,
	 * "data": ...}}. The {@code topic} field is the name subscribers know: for a scoped
	 * topic ({@link EventHub#scope(String)}), the name without its scope.
	 * @param topic the topic key
	 * @param payload the payload; a {@link JsonNode} is written as it is, not copied
	 * @param mapper the mapper that writes it
	 * @return the delivery
	 */
	public static Delivery of(String topic, @Nullable Object payload, JsonMapper mapper) {
		JsonNode tree = (payload instanceof JsonNode node) ? node : mapper.valueToTree(payload);
		String name = ScopedEventHub.nameOf(topic);
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		try (JsonGenerator generator = mapper.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty("topic", name);
			JsonNode ownTopic = (tree instanceof ObjectNode) ? tree.get("topic") : null;
			if (tree instanceof ObjectNode object && (ownTopic == null || name.equals(ownTopic.asString(null)))) {
				for (Map.Entry<String, JsonNode> field : object.properties()) {
					if (!"topic".equals(field.getKey())) {
						generator.writeName(field.getKey());
						generator.writeTree(field.getValue());
					}
				}
			}
			else {
				generator.writeName("data");
				if (tree == null) {
					generator.writeNull();
				}
				else {
					generator.writeTree(tree);
				}
			}
			generator.writeEndObject();
		}
		return new Delivery(topic, mapper, out.toByteArray(), null);
	}

	/**
	 * A delivery already framed and written, e.g. relayed from another instance.
	 * @param topic the topic
	 * @param text the framed message as JSON
	 * @param mapper the mapper that reads it if a tree is needed
	 * @return the delivery
	 */
	public static Delivery ofText(String topic, String text, JsonMapper mapper) {
		return new Delivery(topic, mapper, null, text);
	}

	/**
	 * The topic key.
	 * @return the topic key
	 */
	public String topic() {
		return this.topic;
	}

	/**
	 * The framed message.
	 * @return the message as a JSON tree, read once; do not modify it
	 */
	public JsonNode message() {
		JsonNode message = this.message;
		if (message == null) {
			message = this.mapper.readTree(text());
			this.message = message;
		}
		return message;
	}

	/**
	 * The framed message as JSON text, written once.
	 * @return the text
	 */
	public String text() {
		String text = this.text;
		if (text == null) {
			text = new String(utf8(), StandardCharsets.UTF_8);
			this.text = text;
		}
		return text;
	}

	/**
	 * The framed message as UTF-8 JSON, written once, e.g. to relay it to other
	 * instances.
	 * @return the bytes, shared by every caller: do not modify them
	 */
	public byte[] utf8() {
		byte[] utf8 = this.utf8;
		if (utf8 == null) {
			utf8 = text().getBytes(StandardCharsets.UTF_8);
			this.utf8 = utf8;
		}
		return utf8;
	}

}
