package io.pikku.channel.runtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads the query of an upgrade request into the decoded parameters that
 * {@link ChannelRuntime#bindOpeningData} takes, for a transport (or a test) that has only
 * the raw query.
 */
public final class QueryParameters {

	private QueryParameters() {
	}

	/**
	 * Decodes a raw query such as {@code name=Ann%20B.&tag=a&tag=b}; a value that is not
	 * valid percent-encoding is kept as it is.
	 * @param rawQuery the query, without {@code ?}, or {@code null}
	 * @return the parameters in order, each with its values
	 */
	public static Map<String, List<String>> parse(@Nullable String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			parameters.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}
		return parameters;
	}

	private static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

}
