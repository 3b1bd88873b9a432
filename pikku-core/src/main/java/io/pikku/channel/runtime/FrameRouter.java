package io.pikku.channel.runtime;

import java.util.Map;

import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a text frame once and finds what it names: the action of the first of the
 * channel's routing properties (in declaration order) whose value names a wired action,
 * the reply address, and the input without the routing property and correlation id.
 *
 * <p>
 * A frame whose first field is the channel's first routing property naming an action
 * (what Pikku's clients send) is read in one pass: the input type binds from the parser
 * that found the action. Any other frame is read as a tree.
 */
final class FrameRouter {

	private final CompiledChannel channel;

	private final JsonMapper mapper;

	private static final String EMPTY_OBJECT = "{}";

	private final String correlationField;

	/**
	 * The actions of the first routing property, which frames read in one pass name, by
	 * the length of their names.
	 */
	private final FirstAction[][] firstByLength;

	FrameRouter(CompiledChannel channel, JsonMapper mapper, String correlationField) {
		this.channel = channel;
		this.mapper = mapper;
		this.correlationField = correlationField;
		Map<String, CompiledAction> first = (channel.firstRoutingProperty != null)
				? channel.actions.get(channel.firstRoutingProperty) : Map.of();
		int longest = first.keySet().stream().mapToInt(String::length).max().orElse(-1);
		this.firstByLength = new FirstAction[longest + 1][];
		for (int length = 0; length <= longest; length++) {
			int nameLength = length;
			this.firstByLength[length] = first.values()
				.stream()
				.filter((action) -> action.name().length() == nameLength)
				.map((action) -> new FirstAction(action, StringNode.valueOf(action.name())))
				.toArray(FirstAction[]::new);
		}
	}

	RoutedFrame route(String text) {
		return read(text, this.channel.firstRoutingProperty != null);
	}

	/**
	 * Routes a frame as a tree, as every frame that does not start with an action is:
	 * what the one pass must agree with.
	 * @param text the frame
	 * @return the routed frame
	 */
	RoutedFrame routeAsTree(String text) {
		return read(text, false);
	}

	private RoutedFrame read(String text, boolean onePass) {
		try {
			RoutedFrame routed = onePass ? routeInOnePass(text) : null;
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
	 * Reads a frame that starts with the first routing property naming a wired action,
	 * and binds its input from the same parser.
	 * @return the routed frame, or {@code null} if the frame does not start so, names a
	 * routing property again later, or its input does not bind: the tree decides those
	 */
	private @Nullable RoutedFrame routeInOnePass(String text) {
		String property = this.channel.firstRoutingProperty;
		try (JsonParser parser = this.mapper.createParser(text)) {
			if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
					|| !property.equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
				return null;
			}
			FirstAction named = firstActionNamed(parser);
			if (named == null) {
				return null;
			}
			CompiledAction action = named.action();
			InputParser input = new InputParser(parser);
			Object value;
			try {
				value = input.bind(action.input());
			}
			catch (ReroutedException | JacksonException ex) {
				// The tree tells invalid JSON from input that does not bind, wherever it
				// is.
				return null;
			}
			if (!parser.streamReadContext().inRoot() || parser.nextToken() != null) {
				return RoutedFrame.invalid(RoutedFrame.Kind.INVALID_JSON);
			}
			JsonNode correlation = input.correlation;
			JsonNode valid = validCorrelation(correlation);
			return RoutedFrame.routed(new ReplyTo(property, named.name(), valid), action,
					CallInput.ofValue(this, text, value), correlation != null && valid == null);
		}
	}

	/**
	 * Finds the action of the first routing property that the string at the parser names
	 * (escapes decoded), by comparing its characters with the names of its length: no
	 * string is made and hashed per frame.
	 * @return the action, or {@code null} if it names none
	 */
	private @Nullable FirstAction firstActionNamed(JsonParser parser) {
		int length = parser.getStringLength();
		if (length >= this.firstByLength.length) {
			return null;
		}
		char[] text = parser.getStringCharacters();
		int offset = parser.getStringOffset();
		for (FirstAction candidate : this.firstByLength[length]) {
			if (sameCharacters(candidate.action().name(), text, offset)) {
				return candidate;
			}
		}
		return null;
	}

	private static boolean sameCharacters(String name, char[] text, int offset) {
		for (int i = 0; i < name.length(); i++) {
			if (name.charAt(i) != text[offset + i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The input of a frame read in one pass, as a tree: for middleware, which asks
	 * rarely.
	 * @param text the frame
	 * @return its fields without the routing property and the correlation id
	 */
	JsonNode inputTree(String text) {
		ObjectNode frame = (ObjectNode) this.mapper.readTree(text);
		frame.remove(this.correlationField);
		frame.remove(this.channel.firstRoutingProperty);
		return frame;
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

	/**
	 * The frame's fields after the routing property, as the input's deserializer reads
	 * them: the correlation id is kept aside, and a routing property named again sends
	 * the frame to the tree.
	 */
	private final class InputParser extends JsonParserDelegate {

		private @Nullable JsonNode correlation;

		InputParser(JsonParser parser) {
			super(parser);
		}

		/**
		 * Binds the input: the parser stands on the first field after the routing
		 * property, which every object deserializer starts from.
		 */
		@Nullable Object bind(CompiledChannel.Input input) {
			JsonToken first = nextToken();
			if (input.type() == null) {
				for (JsonToken token = first; token == JsonToken.PROPERTY_NAME; token = nextToken()) {
					nextToken();
					skipChildren();
				}
				return null;
			}
			if (first == JsonToken.END_OBJECT) {
				// Jackson reads a lone END_OBJECT as no content: an empty object binds as
				// {}.
				return input.reader().readValue(EMPTY_OBJECT);
			}
			return input.reader().readValue(this);
		}

		@Override
		public JsonToken nextToken() {
			JsonToken token = this.delegate.nextToken();
			while (token == JsonToken.PROPERTY_NAME && this.delegate.streamReadContext().getNestingDepth() == 1) {
				String field = this.delegate.currentName();
				if (field.equals(FrameRouter.this.correlationField)) {
					this.delegate.nextToken();
					this.correlation = correlation(this.delegate);
					this.delegate.skipChildren();
					token = this.delegate.nextToken();
				}
				else if (FrameRouter.this.channel.actions.containsKey(field)) {
					throw ReroutedException.INSTANCE;
				}
				else {
					break;
				}
			}
			return token;
		}

		@Override
		public JsonToken nextValue() {
			JsonToken token = nextToken();
			return (token == JsonToken.PROPERTY_NAME) ? nextToken() : token;
		}

		@Override
		public @Nullable String nextName() {
			return (nextToken() == JsonToken.PROPERTY_NAME) ? currentName() : null;
		}

		@Override
		public boolean nextName(SerializableString name) {
			return nextToken() == JsonToken.PROPERTY_NAME && name.getValue().equals(currentName());
		}

		@Override
		public int nextNameMatch(PropertyNameMatcher matcher) {
			JsonToken token = nextToken();
			if (token == JsonToken.PROPERTY_NAME) {
				return matcher.matchName(currentName());
			}
			return (token == JsonToken.END_OBJECT) ? PropertyNameMatcher.MATCH_END_OBJECT
					: PropertyNameMatcher.MATCH_ODD_TOKEN;
		}

	}

	/**
	 * An action of the first routing property and its name as the reply echoes it, made
	 * once.
	 */
	private record FirstAction(CompiledAction action, StringNode name) {
	}

	/** A routing property named again: the tree decides. Thrown without a stack. */
	private static final class ReroutedException extends RuntimeException {

		static final ReroutedException INSTANCE = new ReroutedException();

		private ReroutedException() {
			super(null, null, false, false);
		}

	}

}
