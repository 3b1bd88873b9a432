package io.pikku.channel.runtime;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON mapper that binds client frames: the application's mapper, made strict about
 * types so that a client's {@code 123} never becomes a {@code String} field.
 */
public final class ChannelJson {

	private ChannelJson() {
	}

	/**
	 * A strict copy of the given mapper: no coercion between strings, numbers and
	 * booleans, no float to int. Jackson's stream read constraints (nesting depth, string
	 * and number lengths) stay on.
	 * @param mapper the application's mapper
	 * @return the mapper for client frames
	 */
	public static JsonMapper strict(JsonMapper mapper) {
		return mapper.rebuild()
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
			.build();
	}

}
