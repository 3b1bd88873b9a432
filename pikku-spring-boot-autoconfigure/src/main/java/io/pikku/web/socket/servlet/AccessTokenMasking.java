package io.pikku.web.socket.servlet;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks the value of every {@code access_token} parameter of a query string, so that a
 * credential passed in a WebSocket URL never reaches a log.
 */
final class AccessTokenMasking {

	static final String PARAMETER = "access_token";

	static final String MASK = "***";

	private static final Pattern TOKEN = Pattern.compile("(^|&)" + PARAMETER + "=[^&]*");

	private AccessTokenMasking() {
	}

	static boolean needsMasking(@Nullable String query) {
		return query != null && query.contains(PARAMETER + "=");
	}

	static @Nullable String mask(@Nullable String query) {
		if (!needsMasking(query)) {
			return query;
		}
		return TOKEN.matcher(query).replaceAll("$1" + PARAMETER + "=" + MASK);
	}

}
