package io.pikku.apidocs;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]+)}");

	public ApiTopic {
		variables = List.copyOf(variables);
		freeVariables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(freeVariables));
		payloads = List.copyOf(payloads);
	}

	/**
	 * Whether a topic name is a pattern with variables.
	 * @param name a topic name, e.g. {@code room:{room}}
	 * @return {@code true} if it has a variable
	 */
	public static boolean isPattern(String name) {
		return VARIABLE.matcher(name).find();
	}

	/**
	 * Rewrites a topic name part by part, e.g. into a regular expression or a template
	 * literal type.
	 * @param name a topic name, e.g. {@code room:{room}}
	 * @param literal rewrites each literal part ({@code room:})
	 * @param variable rewrites each variable, given its name ({@code room})
	 * @return the rewritten name
	 */
	public static String render(String name, UnaryOperator<String> literal, UnaryOperator<String> variable) {
		StringBuilder rendered = new StringBuilder();
		Matcher matcher = VARIABLE.matcher(name);
		int end = 0;
		while (matcher.find()) {
			rendered.append(literal.apply(name.substring(end, matcher.start())))
				.append(variable.apply(matcher.group(1)));
			end = matcher.end();
		}
		return rendered.append(literal.apply(name.substring(end))).toString();
	}

}
