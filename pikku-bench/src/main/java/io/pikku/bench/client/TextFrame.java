package io.pikku.bench.client;

import java.nio.charset.StandardCharsets;

import io.pikku.bench.wire.Frames;

/**
 * A client-to-server WebSocket frame, encoded and masked once and then sent as it is, so
 * that sending costs a copy of its bytes and nothing else. A client must mask what it
 * sends (RFC 6455, 5.3) but may choose its key; this one always uses the same key, so a
 * frame's bytes never change.
 */
public final class TextFrame {

	private static final byte[] MASK = { 0x5a, 0x3c, (byte) 0x96, 0x0f };

	private final byte[] wire;

	private TextFrame(byte[] wire) {
		this.wire = wire;
	}

	/**
	 * A text frame carrying a message.
	 * @param text the message
	 * @return the frame
	 */
	public static TextFrame of(String text) {
		return of(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A text frame carrying a message.
	 * @param utf8 the message's UTF-8 bytes
	 * @return the frame
	 */
	public static TextFrame of(byte[] utf8) {
		return new TextFrame(encode(Frames.TEXT, utf8));
	}

	/**
	 * The frame as it goes on the wire: header, mask key and masked payload.
	 * @return the bytes (shared: never change them)
	 */
	public byte[] wire() {
		return this.wire;
	}

	/**
	 * Encodes a final (unfragmented) masked frame.
	 * @param opcode the frame's opcode
	 * @param payload its unmasked payload
	 * @return the frame's bytes
	 */
	static byte[] encode(int opcode, byte[] payload) {
		return Frames.encode(opcode, payload, MASK);
	}

}
