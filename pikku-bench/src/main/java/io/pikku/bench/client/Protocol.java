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

		private final byte[] echo = bytes("{\"action\":\"echo\",\"text\":\"" + TEXT + "\"}");

		@Override
		public byte[] echo() {
			return this.echo;
		}

		@Override
		public byte[] subscribe(String topic) {
			return bytes("{\"action\":\"subscribe\",\"topic\":\"" + topic + "\"}");
		}

		@Override
		public byte[] publish(String topic, long seq) {
			return bytes("{\"action\":\"publish\",\"topic\":\"" + topic + "\",\"payload\":{\"seq\":" + seq
					+ ",\"text\":\"" + TEXT + "\"}}");
		}

	};

	/** STOMP 1.2 frames to Spring's simple broker. */
	public static final Protocol STOMP = new Protocol() {

		private final byte[] echo = bytes(
				"SEND\ndestination:/app/echo\ncontent-type:application/json\n\n{\"text\":\"" + TEXT + "\"}\0");

		@Override
		public byte[] connect() {
			return bytes("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
		}

		@Override
		public byte[] echoSubscription() {
			return bytes("SUBSCRIBE\nid:echo\ndestination:/user/queue/echo\n\n\0");
		}

		@Override
		public byte[] echo() {
			return this.echo;
		}

		@Override
		public byte[] subscribe(String topic) {
			return bytes("SUBSCRIBE\nid:" + topic + "\ndestination:/topic/" + topic + "\n\n\0");
		}

		@Override
		public byte[] publish(String topic, long seq) {
			return bytes("SEND\ndestination:/app/publish\ncontent-type:application/json\n\n{\"seq\":" + seq
					+ ",\"text\":\"" + TEXT + "\"}\0");
		}

	};

	/**
	 * The frame that opens a session, or {@code null} if none (the server's first frame
	 * then needs no wait).
	 * @return the frame
	 */
	public byte[] connect() {
		return null;
	}

	/**
	 * What a connection sends before its first echo so that the reply can reach it, or
	 * {@code null}.
	 * @return the frame
	 */
	public byte[] echoSubscription() {
		return null;
	}

	/**
	 * An echo call.
	 * @return the frame (shared: never change it)
	 */
	public abstract byte[] echo();

	/**
	 * Subscribes the sender to a topic.
	 * @param topic the topic
	 * @return the frame
	 */
	public abstract byte[] subscribe(String topic);

	/**
	 * Publishes a numbered message to a topic.
	 * @param topic the topic
	 * @param seq the message's number
	 * @return the frame
	 */
	public abstract byte[] publish(String topic, long seq);

	/**
	 * The number of a published message in a frame, or -1 if the frame is none.
	 * @param frame the frame
	 * @return the number
	 */
	public static long seq(ByteBuf frame) {
		int start = find(frame, SEQ);
		if (start < 0) {
			return -1;
		}
		long seq = 0;
		boolean negative = false;
		for (int i = start + SEQ.length; i < frame.writerIndex(); i++) {
			byte b = frame.getByte(i);
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

	private static int find(ByteBuf frame, byte[] needle) {
		int last = frame.writerIndex() - needle.length;
		outer: for (int i = frame.readerIndex(); i <= last; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (frame.getByte(i + j) != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
