package io.pikku.channel.runtime;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON mapper that binds client frames: the application's mapper, made strict about
 * types so that a client's {@code 123} never becomes a {@code String} field, and exact
 * about numbers.
 */
public final class ChannelJson {

	private ChannelJson() {
	}

	/**
	 * A strict copy of the given mapper: no coercion between strings, numbers and
	 * booleans, no float to int. Jackson's stream read constraints (nesting depth, string
	 * and number lengths) stay on.
	 * <p>
	 * Numbers keep their exact value: a decimal read into a {@code JsonNode}, a
	 * {@code Map} or an {@code Object} is a {@code BigDecimal} (so {@code 1e999} is
	 * written back as {@code 1E+999}, never as {@code "Infinity"}), and a value that a
	 * {@code double} or {@code float} field cannot hold (beyond its range, or a non-zero
	 * value that would become 0) is refused, like an integer beyond its type's range.
	 * <p>
	 * Jackson's buffers are recycled per platform thread rather than through its default
	 * pool, one concurrent deque, which the threads that read and answer frames would
	 * otherwise contend on for every frame; a factory with another kind of pool keeps it.
	 * The application's modules and read and write features stay as they are.
	 * @param mapper the application's mapper
	 * @return the mapper for client frames
	 */
	public static JsonMapper strict(JsonMapper mapper) {
		return new RecyclingPerThread(mapper).disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
			.addModule(new SimpleModule("pikku-finite-numbers").setDeserializerModifier(new FiniteNumbers()))
			.build();
	}

	/**
	 * A builder with the configuration of the application's mapper, on a copy of its
	 * factory that recycles buffers per platform thread (when it used Jackson's default
	 * pool, a concurrent deque).
	 */
	private static final class RecyclingPerThread extends JsonMapper.Builder {

		/** Jackson's default: a new concurrent deque for each factory. */
		private static final Class<?> DEFAULT_POOL = JsonRecyclerPools.defaultPool().getClass();

		RecyclingPerThread(JsonMapper mapper) {
			super((JsonMapper.Builder.StateImpl) mapper.rebuild().saveStateApplyModules());
			JsonFactory factory = (JsonFactory) this._streamFactory;
			RecyclerPool<BufferRecycler> pool = factory._getRecyclerPool();
			if (pool.getClass() == DEFAULT_POOL) {
				this._streamFactory = factory.rebuild().recyclerPool(new PlatformThreadRecyclerPool(pool)).build();
			}
		}

	}

	/**
	 * Wraps the deserializers of {@code double} and {@code float} so that they refuse
	 * what they cannot hold.
	 */
	private static final class FiniteNumbers extends ValueDeserializerModifier {

		@Override
		public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
				BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
			Class<?> type = description.getBeanClass();
			if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
				return new InRange(deserializer, type);
			}
			return deserializer;
		}

	}

	private static final class InRange extends DelegatingDeserializer {

		private final Class<?> type;

		private final boolean single;

		InRange(ValueDeserializer<?> delegate, Class<?> type) {
			super(delegate);
			this.type = type;
			this.single = type == float.class || type == Float.class;
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
			return new InRange(delegate, this.type);
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
			JsonToken token = parser.currentToken();
			if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
				double value;
				try {
					value = this.single ? parser.getFloatValue() : parser.getDoubleValue();
				}
				catch (JacksonException ex) {
					// a tree's number node refuses a value beyond the type's range itself
					throw outOfRange(parser, token);
				}
				if (Double.isInfinite(value) || (value == 0 && parser.getDecimalValue().signum() != 0)) {
					throw outOfRange(parser, token);
				}
			}
			return super.deserialize(parser, context);
		}

		private InputCoercionException outOfRange(JsonParser parser, JsonToken token) {
			return new InputCoercionException(parser,
					"Numeric value (" + parser.getString() + ") out of range of " + this.type.getSimpleName(), token,
					this.type);
		}

	}

}
