package io.pikku.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * The server refused to open the channel: 401 for a bad credential, 400 for invalid
 * opening data (with the errors in the body), 404 for a route it does not serve, 403 for
 * a foreign origin, 503 when it is full or shutting down.
 */
public class PikkuHandshakeException extends PikkuClientException {

	private final URI uri;

	private final int status;

	private final @Nullable String body;

	/**
	 * A refused upgrade.
	 * @param uri the URI, without credentials
	 * @param status the HTTP status
	 * @param body the response body, if the JDK read one
	 * @param cause the JDK's exception
	 */
	public PikkuHandshakeException(URI uri, int status, @Nullable String body, @Nullable Throwable cause) {
		super("Upgrade to " + uri + " refused with HTTP " + status
				+ ((body != null && !body.isEmpty()) ? ": " + body : ""), cause);
		this.uri = uri;
		this.status = status;
		this.body = body;
	}

	/**
	 * The URI that was refused, without credentials.
	 * @return the URI
	 */
	public URI getUri() {
		return this.uri;
	}

	/**
	 * The HTTP status of the refusal.
	 * @return the status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * The body of the refusal, e.g. the opening data errors of a 400.
	 * @return the body, or {@code null}
	 */
	public @Nullable String getBody() {
		return this.body;
	}

}
