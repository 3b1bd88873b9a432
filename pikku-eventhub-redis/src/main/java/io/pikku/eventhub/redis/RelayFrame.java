package io.pikku.eventhub.redis;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One message between instances, as it travels on a Redis channel: a line of ASCII
 * header, then the payload's bytes as they are.
 *
 * <pre class="code">
 * &lt;origin, 16 hex digits&gt; &lt;sequence&gt; &lt;sent at, epoch ms&gt; &lt;exclude length&gt;:&lt;exclude&gt;\n&lt;payload&gt;
 * </pre>
 *
 * The origin is the sending instance; the sequence numbers its messages in the order it
 * hands them to Redis, so that a receiver delivers each one once and in order; the
 * excluded channel id (UTF-8, may be empty) is skipped by every receiver. Decoding reads
 * the header without copying the payload.
 *
 * @param origin the sending instance
 * @param sequence the message's number at its origin
 * @param sentAt when it was sent, in epoch milliseconds
 * @param exclude the channel id that must not receive it, or {@code null}
 * @param data the whole frame
 * @param payloadOffset where the payload starts in {@code data}
 */
record RelayFrame(long origin, long sequence, long sentAt, @Nullable String exclude, byte[] data, int payloadOffset) {

	/**
	 * Writes a frame.
	 * @param origin the sending instance
	 * @param sequence the message's number at its origin
	 * @param sentAt when it is sent, in epoch milliseconds
	 * @param exclude the channel id that must not receive it, or {@code null}
	 * @param payload the payload
	 * @return the frame's bytes
	 */
	static byte[] encode(long origin, long sequence, long sentAt, @Nullable String exclude, byte[] payload) {
		byte[] excluded = (exclude != null) ? exclude.getBytes(StandardCharsets.UTF_8) : new byte[0];
		StringBuilder header = new StringBuilder(64);
		String hex = Long.toHexString(origin);
		header.append("0".repeat(16 - hex.length()))
			.append(hex)
			.append(' ')
			.append(sequence)
			.append(' ')
			.append(sentAt)
			.append(' ')
			.append(excluded.length)
			.append(':');
		int headerLength = header.length();
		byte[] frame = new byte[headerLength + excluded.length + 1 + payload.length];
		for (int i = 0; i < headerLength; i++) {
			frame[i] = (byte) header.charAt(i);
		}
		System.arraycopy(excluded, 0, frame, headerLength, excluded.length);
		frame[headerLength + excluded.length] = '\n';
		System.arraycopy(payload, 0, frame, headerLength + excluded.length + 1, payload.length);
		return frame;
	}

	/**
	 * Reads a frame.
	 * @param data the frame's bytes
	 * @return the frame
	 * @throws IllegalArgumentException if the bytes are not a frame
	 */
	static RelayFrame decode(byte[] data) {
		Reader reader = new Reader(data);
		long origin = reader.hex();
		long sequence = reader.decimal(' ');
		long sentAt = reader.decimal(' ');
		long declared = reader.decimal(':');
		if (declared < 0 || reader.position + declared >= data.length) {
			throw new IllegalArgumentException("Not a relay frame");
		}
		int excludeLength = (int) declared;
		if (data[reader.position + excludeLength] != '\n') {
			throw new IllegalArgumentException("Not a relay frame");
		}
		String exclude = (excludeLength > 0) ? new String(data, reader.position, excludeLength, StandardCharsets.UTF_8)
				: null;
		return new RelayFrame(origin, sequence, sentAt, exclude, data, reader.position + excludeLength + 1);
	}

	/**
	 * Whether a frame comes from an origin, read without decoding the rest.
	 * @param data the frame's bytes
	 * @param origin the origin
	 * @return whether the frame starts with that origin
	 */
	static boolean isFrom(byte[] data, long origin) {
		if (data.length < 17) {
			return false;
		}
		for (int i = 15; i >= 0; i--) {
			if (Character.forDigit((int) (origin & 0xf), 16) != data[i]) {
				return false;
			}
			origin >>>= 4;
		}
		return true;
	}

	/**
	 * The payload as text.
	 * @return the payload, decoded from UTF-8
	 */
	String payload() {
		return new String(this.data, this.payloadOffset, this.data.length - this.payloadOffset, StandardCharsets.UTF_8);
	}

	private static final class Reader {

		private final byte[] data;

		private int position;

		Reader(byte[] data) {
			this.data = data;
		}

		long hex() {
			if (this.data.length < 17 || this.data[16] != ' ') {
				throw new IllegalArgumentException("Not a relay frame");
			}
			long value = 0;
			for (int i = 0; i < 16; i++) {
				int digit = Character.digit(this.data[i], 16);
				if (digit < 0) {
					throw new IllegalArgumentException("Not a relay frame");
				}
				value = (value << 4) | digit;
			}
			this.position = 17;
			return value;
		}

		long decimal(char end) {
			long value = 0;
			int start = this.position;
			while (this.position < this.data.length && this.data[this.position] != end) {
				int digit = this.data[this.position] - '0';
				if (digit < 0 || digit > 9 || this.position - start > 18) {
					throw new IllegalArgumentException("Not a relay frame");
				}
				value = value * 10 + digit;
				this.position++;
			}
			if (this.position == start || this.position == this.data.length) {
				throw new IllegalArgumentException("Not a relay frame");
			}
			this.position++;
			return value;
		}

	}

}
