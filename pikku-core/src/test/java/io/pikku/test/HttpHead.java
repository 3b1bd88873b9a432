package io.pikku.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the head of an HTTP message (request or status line and headers) from a plain
 * socket, for tests that speak the WebSocket handshake by hand.
 */
public final class HttpHead {

	private HttpHead() {
	}

	/**
	 * Reads up to and including the blank line after the headers.
	 * @param in the stream
	 * @return the head, or what was read before the stream ended
	 */
	public static String read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/**
	 * The value of a header in a head.
	 * @param head the head
	 * @param name the header name, any case
	 * @return the trimmed value, or {@code null}
	 */
	public static String header(String head, String name) {
		String prefix = name.toLowerCase() + ":";
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase().startsWith(prefix)) {
				return line.substring(prefix.length()).trim();
			}
		}
		return null;
	}

}
