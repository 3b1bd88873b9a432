package io.pikku.web;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks the value of every {@code access_token} parameter of a query string, so that a
 * credential passed in a WebSocket URL never reaches a log. Shared by the transports.
 */
public final class AccessTokenMasking {

	/** The query parameter that carries a bearer token. */
	public static final String PARAMETER = "access_token";

	/** What a token is replaced with. */
	public static final String MASK = "***";

	private static final Pattern TOKEN = Pattern.compile("(^|&)" + PARAMETER + "=[^&]*");

	private AccessTokenMasking() {
	}

	/**
	 * Whether the query string carries a token.
	 * @param query a raw query string, or {@code null}
	 * @return {@code true} if it needs masking
	 */
	public static boolean needsMasking(@Nullable String query) {
		return query != null && query.contains(PARAMETER + "=");
	}

	/**
	 * The query string with every token replaced by {@link #MASK}.
	 * @param query a raw query string, or {@code null}
	 * @return the masked query string
	 */
	public static @Nullable String mask(@Nullable String query) {
		if (!needsMasking(query)) {
			return query;
		}
		return TOKEN.matcher(query).replaceAll("$1" + PARAMETER + "=" + MASK);
	}

}
