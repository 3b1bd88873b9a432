package io.pikku.channel.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pikku.channel.PikkuException;
import jakarta.validation.ConstraintViolation;
import tools.jackson.core.JacksonException;

/**
 * Binds the opening data of an upgrade request from its path variables and query
 * parameters, and validates it. Path variables win over query parameters of the same
 * name; {@code access_token} is a credential, never opening data.
 */
final class OpeningDataBinder {

	/** Query parameters that are credentials, never opening data. */
	private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("access_token");

	private final RuntimeServices services;

	OpeningDataBinder(RuntimeServices services) {
		this.services = services;
	}

	Object bind(CompiledChannel channel, Map<String, String> pathVariables, Map<String, List<String>> queryParameters)
			throws OpeningDataException {
		Map<String, Object> values = new LinkedHashMap<>();
		queryParameters.forEach((name, list) -> {
			if (!CREDENTIAL_PARAMETERS.contains(name) && !list.isEmpty()) {
				values.put(name, (list.size() == 1) ? list.get(0) : List.copyOf(list));
			}
		});
		values.putAll(pathVariables);
		Class<?> type = channel.definition.openingDataType();
		if (type == Map.class) {
			Map<String, String> flat = new LinkedHashMap<>();
			values.forEach((name, value) -> flat.put(name,
					(value instanceof List<?> list) ? (String) list.get(0) : (String) value));
			return Collections.unmodifiableMap(flat);
		}
		Object data;
		try {
			data = this.services.openingDataMapper().convertValue(values, type);
		}
		catch (JacksonException ex) {
			throw failed(Errors.bindingFailed("Invalid opening data", ex));
		}
		if (data == null) {
			throw failed(Errors.validationFailed("Invalid opening data", Set.of()));
		}
		if (channel.openingDataConstrained) {
			Set<ConstraintViolation<Object>> violations = this.services.validator().validate(data);
			if (!violations.isEmpty()) {
				throw failed(Errors.validationFailed("Invalid opening data", violations));
			}
		}
		return data;
	}

	private OpeningDataException failed(PikkuException error) {
		return new OpeningDataException(error.getMessage(), this.services.replies().errorBody(error));
	}

}
