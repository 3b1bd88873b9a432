package io.pikku.bench.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes WebSocket frames in place, without frame objects: the load client and
 * the canned-reply server parse a socket's bytes with these and nothing else.
 */
public final class Frames {

	/** A continuation frame's opcode. */
	public static final int CONTINUATION = 0x0;

	/** A text frame's opcode. */
	public static final int TEXT = 0x1;

	/** A close frame's opcode. */
	public static final int CLOSE = 0x8;

	/** A ping's opcode. */
	public static final int PING = 0x9;

	/** A pong's opcode. */
	public static final int PONG = 0xA;

	/** The shortest frame header: the first two bytes, which tell the rest. */
	public static final int MIN_HEADER = 2;

	private Frames() {
	}

	/**
	 * Encodes a final (unfragmented) frame.
	 * @param opcode its opcode
	 * @param payload its payload
	 * @param mask the 4-byte mask key (what a client sends must be masked), or null for
	 * an unmasked frame (what a server sends)
	 * @return the frame's bytes
	 */
	public static byte[] encode(int opcode, byte[] payload, byte[] mask) {
		int length = payload.length;
		int header = (length < 126) ? 2 : (length <= 0xFFFF) ? 4 : 10;
		int keyLength = (mask != null) ? 4 : 0;
		byte[] frame = new byte[header + keyLength + length];
		int maskBit = (mask != null) ? 0x80 : 0;
		frame[0] = (byte) (0x80 | opcode);
		if (length < 126) {
			frame[1] = (byte) (maskBit | length);
		}
		else if (length <= 0xFFFF) {
			frame[1] = (byte) (maskBit | 126);
			frame[2] = (byte) (length >>> 8);
			frame[3] = (byte) length;
		}
		else {
			frame[1] = (byte) (maskBit | 127);
			for (int i = 0; i < 8; i++) {
				frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
			}
		}
		int start = header + keyLength;
		if (mask == null) {
			System.arraycopy(payload, 0, frame, start, length);
			return frame;
		}
		System.arraycopy(mask, 0, frame, header, 4);
		for (int i = 0; i < length; i++) {
			frame[start + i] = (byte) (payload[i] ^ mask[i & 3]);
		}
		return frame;
	}

	/**
	 * The length of a frame's header, mask key included, from its first two bytes.
	 * @param in holds the frame
	 * @param at where it starts ({@link #MIN_HEADER} bytes must be there)
	 * @return how many bytes come before the payload
	 */
	public static int headerLength(ByteBuf in, int at) {
		int second = in.getUnsignedByte(at + 1);
		int length = second & 0x7F;
		int header = (length == 126) ? 4 : (length == 127) ? 10 : 2;
		return ((second & 0x80) != 0) ? header + 4 : header;
	}

	/**
	 * The length of a frame's payload.
	 * @param in holds the frame
	 * @param at where it starts (its {@linkplain #headerLength header} must be there)
	 * @return the length (negative if the frame claims more than a long holds)
	 */
	public static long payloadLength(ByteBuf in, int at) {
		int length = in.getUnsignedByte(at + 1) & 0x7F;
		if (length == 126) {
			return in.getUnsignedShort(at + 2);
		}
		if (length == 127) {
			return in.getLong(at + 2);
		}
		return length;
	}

	/**
	 * Whether a frame is masked.
	 * @param in holds the frame
	 * @param at where it starts ({@link #MIN_HEADER} bytes must be there)
	 * @return whether it is
	 */
	public static boolean isMasked(ByteBuf in, int at) {
		return (in.getByte(at + 1) & 0x80) != 0;
	}

	/**
	 * Whether a frame is the last of its message.
	 * @param in holds the frame
	 * @param at where it starts
	 * @return whether it is
	 */
	public static boolean isFinal(ByteBuf in, int at) {
		return (in.getByte(at) & 0x80) != 0;
	}

	/**
	 * A frame's opcode.
	 * @param in holds the frame
	 * @param at where it starts
	 * @return the opcode
	 */
	public static int opcode(ByteBuf in, int at) {
		return in.getByte(at) & 0x0F;
	}

	/**
	 * Where an HTTP head (request or response line and headers) ends: after its blank
	 * line.
	 * @param in holds the head from its reader index
	 * @return the index after the blank line, or -1 if it has not all arrived
	 */
	public static int endOfHead(ByteBuf in) {
		for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
			if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
					&& in.getByte(i + 3) == '\n') {
				return i + 4;
			}
		}
		return -1;
	}

}
