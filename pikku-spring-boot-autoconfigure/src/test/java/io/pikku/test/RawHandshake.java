package io.pikku.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Sends a WebSocket upgrade request over a plain socket and reads the HTTP answer, to see
 * the status and body of a refused upgrade.
 */
public final class RawHandshake {

	private RawHandshake() {
	}

	/**
	 * Requests an upgrade.
	 * @param port the server port
	 * @param pathAndQuery the request target, e.g. {@code /chat/room?name=x}
	 * @param headers extra headers
	 * @return the status and body (empty for a successful upgrade)
	 */
	public static Response upgrade(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder();
			request.append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
			request.append("Host: localhost:").append(port).append("\r\n");
			request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
			request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
			headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String head = HttpHead.read(in);
			int status = Integer.parseInt(head.substring(9, 12));
			if (status == 101) {
				return new Response(status, head, "");
			}
			int length = contentLength(head);
			byte[] body = (length >= 0) ? in.readNBytes(length) : readChunkedOrToEnd(in, head);
			return new Response(status, head, new String(body, StandardCharsets.UTF_8));
		}
	}

	/**
	 * Opens a WebSocket over a plain socket, for clients that misbehave: the upgrade is
	 * done, then the caller writes and reads raw frames (or nothing at all).
	 * @param port the server port
	 * @param path the request target
	 * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the default
	 * @return the upgraded socket
	 * @throws IOException if the upgrade is refused or the connection fails
	 */
	public static Socket open(int port, String path, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		if (receiveBuffer > 0) {
			socket.setReceiveBufferSize(receiveBuffer);
		}
		socket.connect(new java.net.InetSocketAddress("localhost", port), 10_000);
		socket.setSoTimeout(10_000);
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		String head = HttpHead.read(socket.getInputStream());
		if (!head.startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IOException("Upgrade refused: " + head);
		}
		return socket;
	}

	/**
	 * A short masked text frame (mask key 0, so the payload reads as it is).
	 * @param text at most 125 bytes of UTF-8
	 * @return the frame
	 */
	public static byte[] textFrame(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		if (payload.length > 125) {
			throw new IllegalArgumentException("Short frames only");
		}
		byte[] frame = new byte[6 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(payload, 0, frame, 6, payload.length);
		return frame;
	}

	/**
	 * Reads the next frame the server sent (unmasked).
	 * @param in the upgraded socket's input
	 * @return the frame, or {@code null} at the end of the stream
	 * @throws IOException if reading fails
	 */
	public static @Nullable Frame readFrame(InputStream in) throws IOException {
		int first = in.read();
		return (first >= 0) ? readFrameAfter(first, in) : null;
	}

	private static @Nullable Frame readFrameAfter(int first, InputStream in) throws IOException {
		int second = in.read();
		if (second < 0) {
			return null;
		}
		long length = second & 0x7F;
		if (length == 126) {
			length = (in.read() << 8) | in.read();
		}
		else if (length == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | in.read();
			}
		}
		return new Frame(first & 0x0F, in.readNBytes((int) length));
	}

	/**
	 * Reads the next data message the server sent, joining its fragments (the servlet
	 * container sends a long text in fragments); control frames in between are skipped.
	 * @param in the upgraded socket's input
	 * @return the message as one frame with the first fragment's opcode, or {@code null}
	 * at the end of the stream
	 * @throws IOException if reading fails
	 */
	public static @Nullable Frame readMessage(InputStream in) throws IOException {
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		int opcode = -1;
		while (true) {
			int first = in.read();
			if (first < 0) {
				return null;
			}
			Frame frame = readFrameAfter(first, in);
			if (frame == null) {
				return null;
			}
			if (frame.opcode() >= 0x8 && !frame.isClose()) {
				continue;
			}
			if (opcode < 0) {
				opcode = frame.opcode();
			}
			payload.write(frame.payload());
			if ((first & 0x80) != 0 || frame.isClose()) {
				return new Frame(opcode, payload.toByteArray());
			}
		}
	}

	private static int contentLength(String head) {
		String length = HttpHead.header(head, "Content-Length");
		return (length != null) ? Integer.parseInt(length) : -1;
	}

	private static byte[] readChunkedOrToEnd(InputStream in, String head) throws IOException {
		if (!head.toLowerCase().contains("transfer-encoding: chunked")) {
			return new byte[0];
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String sizeLine = readLine(in);
			int size = Integer.parseInt(sizeLine.trim(), 16);
			if (size == 0) {
				return body.toByteArray();
			}
			body.write(in.readNBytes(size));
			readLine(in);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0 && b != '\n') {
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	/**
	 * A frame from the server.
	 *
	 * @param opcode its opcode ({@code 0x1} text, {@code 0x8} close, ...)
	 * @param payload its payload
	 */
	public record Frame(int opcode, byte[] payload) {

		/**
		 * Whether it is a close frame.
		 * @return {@code true} for a close frame
		 */
		public boolean isClose() {
			return this.opcode == 0x8;
		}

		/**
		 * The code of a close frame.
		 * @return its status code, or 1005 if it has none
		 */
		public int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

		/**
		 * The payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	/**
	 * The answer to an upgrade request.
	 *
	 * @param status the HTTP status
	 * @param head the status line and headers
	 * @param body the body
	 */
	public record Response(int status, String head, String body) {
	}

}
