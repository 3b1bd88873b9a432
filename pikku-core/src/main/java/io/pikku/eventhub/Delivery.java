package io.pikku.eventhub;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One published message as its subscribers receive it, framed with its topic. It is
 * written to JSON once, however many subscribers receive it.
 */
public final class Delivery {

	private final String topic;

	private final JsonMapper mapper;

	private volatile @Nullable JsonNode message;

	private volatile @Nullable String text;

	private Delivery(String topic, JsonMapper mapper, @Nullable JsonNode message, @Nullable String text) {
		this.topic = topic;
		this.mapper = mapper;
		this.message = message;
		this.text = text;
	}

	/**
	 * Frames a payload for a topic: an object payload gets a {@code topic} field (unless
	 * it has its own, different one), anything else is wrapped as {@code {"topic": ...,
	 * "data": ...}}. The {@code topic} field is the name subscribers know: for a scoped
	 * topic ({@link EventHub#scope(String)}), the name without its scope.
	 * @param topic the topic key
	 * @param payload the payload
	 * @param mapper the mapper that writes it
	 * @return the delivery
	 */
	public static Delivery of(String topic, @Nullable Object payload, JsonMapper mapper) {
		JsonNode tree = mapper.valueToTree(payload);
		ObjectNode message = mapper.createObjectNode();
		String name = ScopedEventHub.nameOf(topic);
		message.put("topic", name);
		JsonNode ownTopic = (tree instanceof ObjectNode) ? tree.get("topic") : null;
		if (tree instanceof ObjectNode object && (ownTopic == null || name.equals(ownTopic.asString(null)))) {
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				if (!"topic".equals(field.getKey())) {
					message.set(field.getKey(), field.getValue());
				}
			}
		}
		else {
			message.set("data", tree);
		}
		return new Delivery(topic, mapper, message, null);
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
	 * @return the message as a JSON tree; do not modify it
	 */
	public JsonNode message() {
		JsonNode message = this.message;
		if (message == null) {
			message = this.mapper.readTree(this.text);
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
			text = this.mapper.writeValueAsString(this.message);
			this.text = text;
		}
		return text;
	}

}
