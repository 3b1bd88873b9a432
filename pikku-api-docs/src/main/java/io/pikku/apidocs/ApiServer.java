package io.pikku.apidocs;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A server the channels are served at, e.g. {@code wss://chat.example.com/app}.
 *
 * @param name a short name, e.g. {@code production}
 * @param url the WebSocket URL: {@code ws} or {@code wss}, host, optional port and path
 */
public record ApiServer(String name, URI url) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

	public ApiServer {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"Server name '" + name + "' must be letters, digits, '.', '-' or '_' (it keys the servers map)");
		}
		if (url == null || url.getScheme() == null
				|| !(url.getScheme().equals("ws") || url.getScheme().equals("wss"))) {
			throw new IllegalArgumentException("Server '" + name + "' needs a ws:// or wss:// URL, not '" + url + "'");
		}
		if (url.getHost() == null || url.getQuery() != null || url.getFragment() != null) {
			throw new IllegalArgumentException(
					"Server '" + name + "' needs a URL with a host and no query or fragment, not '" + url + "'");
		}
	}

	/**
	 * A server from a URL.
	 * @param name a short name
	 * @param url the WebSocket URL
	 * @return the server
	 * @throws IllegalArgumentException if the URL is malformed or not
	 * {@code ws}/{@code wss}
	 */
	public static ApiServer of(String name, String url) {
		try {
			return new ApiServer(name, URI.create(url));
		}
		catch (IllegalArgumentException ex) {
			if (ex.getMessage() != null && ex.getMessage().startsWith("Server")) {
				throw ex;
			}
			throw new IllegalArgumentException("Server '" + name + "' has a malformed URL '" + url + "'", ex);
		}
	}

	/**
	 * The host and port, as AsyncAPI's {@code host}.
	 * @return e.g. {@code localhost:8080}
	 */
	public String host() {
		return (this.url.getPort() != -1) ? this.url.getHost() + ":" + this.url.getPort() : this.url.getHost();
	}

	/**
	 * The path, as AsyncAPI's {@code pathname}.
	 * @return the path without a trailing slash, empty for none
	 */
	public String pathname() {
		String path = (this.url.getRawPath() != null) ? this.url.getRawPath() : "";
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/**
	 * The protocol.
	 * @return {@code ws} or {@code wss}
	 */
	public String protocol() {
		return this.url.getScheme();
	}

}
