package io.pikku.bench.client;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The same work spoken in two protocols: Pikku's JSON frames (which the raw handler
 * answers too) and STOMP frames for Spring's {@code @MessageMapping}.
 */
public abstract class Protocol {

	/** Echo text carried by every round-trip call. */
	public static final String TEXT = "hello from the benchmark";

	private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

	/** Pikku's frames: {@code {"action": ..., ...}}. */
	public static final Protocol JSON = new Protocol() {

		private final TextFrame echo = TextFrame.of("{\"action\":\"echo\",\"text\":\"" + TEXT + "\"}");

		@Override
		public TextFrame echo() {
			return this.echo;
		}

		@Override
		public TextFrame subscribe(String topic) {
			return TextFrame.of("{\"action\":\"subscribe\",\"topic\":\"" + topic + "\"}");
		}

		@Override
		public TextFrame publish(String topic, long seq) {
			return TextFrame.of("{\"action\":\"publish\",\"topic\":\"" + topic + "\",\"payload\":{\"seq\":" + seq
					+ ",\"text\":\"" + TEXT + "\"}}");
		}

	};

	/** STOMP 1.2 frames to Spring's simple broker. */
	public static final Protocol STOMP = new Protocol() {

		private final TextFrame echo = TextFrame
			.of("SEND\ndestination:/app/echo\ncontent-type:application/json\n\n{\"text\":\"" + TEXT + "\"}\0");

		@Override
		public TextFrame connect() {
			return TextFrame.of("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
		}

		@Override
		public TextFrame echoSubscription() {
			return TextFrame.of("SUBSCRIBE\nid:echo\ndestination:/user/queue/echo\n\n\0");
		}

		@Override
		public TextFrame echo() {
			return this.echo;
		}

		@Override
		public TextFrame subscribe(String topic) {
			return TextFrame.of("SUBSCRIBE\nid:" + topic + "\ndestination:/topic/" + topic + "\n\n\0");
		}

		@Override
		public TextFrame publish(String topic, long seq) {
			return TextFrame.of("SEND\ndestination:/app/publish\ncontent-type:application/json\n\n{\"seq\":" + seq
					+ ",\"text\":\"" + TEXT + "\"}\0");
		}

		@Override
		public int bodyStart(ByteBuf buffer, int index, int length) {
			int end = index + length - 1;
			for (int i = index; i < end; i++) {
				if (buffer.getByte(i) == '\n' && buffer.getByte(i + 1) == '\n') {
					return i + 2;
				}
			}
			return -1;
		}

		@Override
		public int bodyEnd(ByteBuf buffer, int index, int length) {
			int end = index + length;
			return (length > 0 && buffer.getByte(end - 1) == 0) ? end - 1 : end;
		}

	};

	/**
	 * The frame that opens a session, or {@code null} if none (the server's first frame
	 * then needs no wait).
	 * @return the frame
	 */
	public TextFrame connect() {
		return null;
	}

	/**
	 * What a connection sends before its first echo so that the reply can reach it, or
	 * {@code null}.
	 * @return the frame
	 */
	public TextFrame echoSubscription() {
		return null;
	}

	/**
	 * An echo call.
	 * @return the frame (shared: never change it)
	 */
	public abstract TextFrame echo();

	/**
	 * Subscribes the sender to a topic.
	 * @param topic the topic
	 * @return the frame
	 */
	public abstract TextFrame subscribe(String topic);

	/**
	 * Publishes a numbered message to a topic.
	 * @param topic the topic
	 * @param seq the message's number
	 * @return the frame
	 */
	public abstract TextFrame publish(String topic, long seq);

	/**
	 * Where the JSON body of a message starts: after a STOMP frame's headers.
	 * @param buffer holds the message
	 * @param index where the message starts
	 * @param length its length
	 * @return where its body starts in {@code buffer}, or -1 if it has none
	 */
	public int bodyStart(ByteBuf buffer, int index, int length) {
		return index;
	}

	/**
	 * Where the JSON body of a message ends: before a STOMP frame's closing NUL.
	 * @param buffer holds the message
	 * @param index where the message starts
	 * @param length its length
	 * @return where its body ends in {@code buffer} (exclusive)
	 */
	public int bodyEnd(ByteBuf buffer, int index, int length) {
		return index + length;
	}

	/**
	 * The number of a published message, or -1 if the message is none.
	 * @param buffer holds the message
	 * @param index where it starts
	 * @param length its length
	 * @return the number
	 */
	public static long seq(ByteBuf buffer, int index, int length) {
		int end = index + length;
		int start = find(buffer, index, end, SEQ);
		if (start < 0) {
			return -1;
		}
		long seq = 0;
		boolean negative = false;
		for (int i = start + SEQ.length; i < end; i++) {
			byte b = buffer.getByte(i);
			if (b == '-') {
				negative = true;
			}
			else if (b >= '0' && b <= '9') {
				seq = seq * 10 + (b - '0');
			}
			else {
				break;
			}
		}
		return negative ? -seq : seq;
	}

	private static int find(ByteBuf buffer, int from, int to, byte[] needle) {
		int last = to - needle.length;
		outer: for (int i = from; i <= last; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (buffer.getByte(i + j) != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
