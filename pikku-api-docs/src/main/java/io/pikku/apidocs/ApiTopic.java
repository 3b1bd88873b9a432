package io.pikku.apidocs;

import java.util.List;
import java.util.Map;

import io.pikku.channel.Docs;

/**
 * A topic whose deliveries a channel's connections receive.
 *
 * @param name the topic name, or a pattern such as {@code room:{room}}
 * @param variables the pattern's variables, in order
 * @param freeVariables the variables that are no opening data, with their descriptions
 * @param docs the topic's docs
 * @param payloads the payload types published on it
 */
public record ApiTopic(String name, List<String> variables, Map<String, String> freeVariables, Docs docs,
		List<ApiType> payloads) {

	public ApiTopic {
		variables = List.copyOf(variables);
		freeVariables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(freeVariables));
		payloads = List.copyOf(payloads);
	}

}
