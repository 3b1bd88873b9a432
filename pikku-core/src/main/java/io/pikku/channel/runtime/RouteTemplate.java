package io.pikku.channel.runtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A channel route such as {@code /chat/{room}}: literal segments and whole-segment
 * {@code {name}} variables.
 */
public final class RouteTemplate {

	private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

	private final String route;

	private final List<String> literals;

	private final List<@Nullable String> variables;

	private RouteTemplate(String route, List<String> literals, List<@Nullable String> variables) {
		this.route = route;
		this.literals = literals;
		this.variables = variables;
	}

	/**
	 * Parses a route.
	 * @param route the route, starting with {@code /}
	 * @return the template
	 * @throws IllegalArgumentException if the route is malformed
	 */
	public static RouteTemplate parse(String route) {
		if (route == null || !route.startsWith("/")) {
			throw new IllegalArgumentException("Route '" + route + "' must start with '/'");
		}
		String[] segments = route.substring(1).split("/", -1);
		List<String> literals = new ArrayList<>();
		List<@Nullable String> variables = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (String segment : segments) {
			if (segment.startsWith("{")) {
				var matcher = VARIABLE.matcher(segment);
				if (!matcher.matches()) {
					throw new IllegalArgumentException("Route '" + route + "' has a malformed variable '" + segment
							+ "': use a whole segment such as {room}");
				}
				if (!names.add(matcher.group(1))) {
					throw new IllegalArgumentException(
							"Route '" + route + "' declares variable '" + matcher.group(1) + "' twice");
				}
				literals.add("");
				variables.add(matcher.group(1));
			}
			else {
				if (segment.contains("{") || segment.contains("}") || segment.contains("*")) {
					throw new IllegalArgumentException(
							"Route '" + route + "' has a malformed segment '" + segment + "'");
				}
				literals.add(segment);
				variables.add(null);
			}
		}
		return new RouteTemplate(route, List.copyOf(literals), java.util.Collections.unmodifiableList(variables));
	}

	/**
	 * How many path variables the route has; of two routes that match a path, the one
	 * with fewer variables is the more specific.
	 * @return the variable count
	 */
	public int variableCount() {
		return (int) this.variables.stream().filter((name) -> name != null).count();
	}

	/**
	 * The path variables, in order.
	 * @return the variable names
	 */
	public List<String> variables() {
		return this.variables.stream().filter((name) -> name != null).map(String.class::cast).toList();
	}

	/**
	 * The route as declared.
	 * @return the route
	 */
	public String route() {
		return this.route;
	}

	/**
	 * The route with its variable names blanked, so that {@code /a/{x}} and
	 * {@code /a/{y}}, which match the same paths, compare equal.
	 * @return the signature
	 */
	public String signature() {
		StringBuilder signature = new StringBuilder();
		for (int i = 0; i < this.literals.size(); i++) {
			signature.append('/').append((this.variables.get(i) != null) ? "{}" : this.literals.get(i));
		}
		return signature.toString();
	}

	/**
	 * Matches a request path (without context path or query).
	 * @param path the raw, still percent-encoded path
	 * @return the decoded path variables, or {@code null} if the path does not match
	 */
	public @Nullable Map<String, String> match(String path) {
		if (!path.startsWith("/")) {
			return null;
		}
		String[] segments = path.substring(1).split("/", -1);
		if (segments.length != this.literals.size()) {
			return null;
		}
		Map<String, String> values = null;
		for (int i = 0; i < segments.length; i++) {
			String variable = this.variables.get(i);
			if (variable == null) {
				if (!this.literals.get(i).equals(segments[i]) && !this.literals.get(i).equals(decode(segments[i]))) {
					return null;
				}
			}
			else {
				if (segments[i].isEmpty()) {
					return null;
				}
				if (values == null) {
					values = new LinkedHashMap<>();
				}
				values.put(variable, decode(segments[i]));
			}
		}
		return (values != null) ? values : Map.of();
	}

	private static String decode(String segment) {
		if (segment.indexOf('%') < 0) {
			return segment;
		}
		try {
			return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return segment;
		}
	}

	@Override
	public String toString() {
		return this.route;
	}

}
