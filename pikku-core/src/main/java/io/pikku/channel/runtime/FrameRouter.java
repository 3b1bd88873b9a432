package io.pikku.channel.runtime;

import java.util.Map;

import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Reads a text frame once and finds what it names: the action of the first of the
 * channel's routing properties (in declaration order) whose value names a wired action,
 * the reply address, and the input without the routing property and correlation id.
 *
 * <p>
 * A frame whose first field is the channel's first routing property naming an action
 * (what Pikku's clients send) is read in one pass into buffered tokens that bind straight
 * to the input type; any other frame is read as a tree.
 */
final class FrameRouter {

	private final CompiledChannel channel;

	private final JsonMapper mapper;

	private final String correlationField;

	FrameRouter(CompiledChannel channel, JsonMapper mapper, String correlationField) {
		this.channel = channel;
		this.mapper = mapper;
		this.correlationField = correlationField;
	}

	RoutedFrame route(String text) {
		try {
			RoutedFrame routed = (this.channel.firstRoutingProperty != null) ? routeInOnePass(text) : null;
			return (routed != null) ? routed : routeTree(text);
		}
		catch (StreamConstraintsException ex) {
			return RoutedFrame.tooLarge("Message exceeds the JSON limits: " + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			return RoutedFrame.invalid(RoutedFrame.Kind.INVALID_JSON);
		}
	}

	/**
	 * Reads a frame that starts with the first routing property naming a wired action.
	 * @return the routed frame, or {@code null} if the frame does not start so, or names
	 * a routing property again later: the tree decides those
	 */
	private @Nullable RoutedFrame routeInOnePass(String text) {
		String property = this.channel.firstRoutingProperty;
		try (JsonParser parser = this.mapper.createParser(text)) {
			if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
					|| !property.equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
				return null;
			}
			String name = parser.getString();
			CompiledAction action = this.channel.actions.get(property).get(name);
			if (action == null) {
				return null;
			}
			TokenBuffer tokens = TokenBuffer.forBuffering(parser, parser.objectReadContext());
			tokens.writeStartObject();
			JsonNode correlation = null;
			Map<String, Map<String, CompiledAction>> routingProperties = this.channel.actions;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				if (routingProperties.containsKey(field)) {
					return null;
				}
				parser.nextToken();
				if (field.equals(this.correlationField)) {
					correlation = correlation(parser);
					parser.skipChildren();
				}
				else {
					tokens.writeName(field);
					tokens.copyCurrentStructure(parser);
				}
			}
			tokens.writeEndObject();
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
				return RoutedFrame.invalid(RoutedFrame.Kind.INVALID_JSON);
			}
			JsonNode valid = validCorrelation(correlation);
			return RoutedFrame.routed(new ReplyTo(property, StringNode.valueOf(name), valid), action,
					CallInput.ofTokens(tokens), correlation != null && valid == null);
		}
	}

	/**
	 * The correlation id at the parser: a string or a number as the tree would hold it,
	 * anything else as a node that is not valid.
	 */
	private JsonNode correlation(JsonParser parser) {
		JsonNodeFactory nodes = this.mapper.getNodeFactory();
		return switch (parser.currentToken()) {
			case VALUE_STRING -> nodes.stringNode(parser.getString());
			case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
				case INT -> nodes.numberNode(parser.getIntValue());
				case LONG -> nodes.numberNode(parser.getLongValue());
				default -> nodes.numberNode(parser.getBigIntegerValue());
			};
			case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
			default -> nodes.booleanNode(false);
		};
	}

	private RoutedFrame routeTree(String text) {
		JsonNode frame = this.mapper.readTree(text);
		if (frame == null || frame.isMissingNode()) {
			return RoutedFrame.invalid(RoutedFrame.Kind.EMPTY);
		}
		if (!(frame instanceof ObjectNode object)) {
			return RoutedFrame.notAnObject(CallInput.ofTree(frame));
		}
		JsonNode correlation = object.remove(this.correlationField);
		JsonNode validCorrelation = validCorrelation(correlation);
		String matchedProperty = null;
		JsonNode matchedValue = null;
		CompiledAction action = null;
		for (String property : this.channel.routingProperties) {
			JsonNode value = object.get(property);
			if (value == null) {
				continue;
			}
			action = value.isString() ? this.channel.actions.get(property).get(value.stringValue()) : null;
			if (action != null || matchedProperty == null) {
				matchedProperty = property;
				matchedValue = value;
			}
			if (action != null) {
				break;
			}
		}
		if (action != null) {
			object.remove(matchedProperty);
		}
		return RoutedFrame.routed(new ReplyTo(matchedProperty, matchedValue, validCorrelation), action,
				CallInput.ofTree(object), correlation != null && validCorrelation == null);
	}

	private static @Nullable JsonNode validCorrelation(@Nullable JsonNode correlation) {
		return (correlation != null && (correlation.isString() || correlation.isNumber())) ? correlation : null;
	}

}
