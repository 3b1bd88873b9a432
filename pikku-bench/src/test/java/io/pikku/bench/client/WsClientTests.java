package io.pikku.bench.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pikku.bench.wire.Frames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load client's hand-written handshake and frame reading, fed byte by byte where it
 * matters: messages split across reads, extended lengths, fragments, pings.
 */
class WsClientTests {

	private static final String UPGRADED = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
			+ "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

	private final List<String> messages = new ArrayList<>();

	private final CompletableFuture<WsClient.WsConnection> opened = new CompletableFuture<>();

	private final EmbeddedChannel channel = new EmbeddedChannel(
			new WsClient.WsConnection(
					URI.create("ws://127.0.0.1:8080/echo?x=1"), (connection, buffer, index, length,
							receivedAt) -> this.messages.add(buffer.toString(index, length, StandardCharsets.UTF_8)),
					this.opened));

	@Test
	void sendsAnUpgradeRequestAndOpensOnTheRightAnswer() {
		String request = ((ByteBuf) this.channel.readOutbound()).toString(StandardCharsets.US_ASCII);
		assertThat(request).startsWith("GET /echo?x=1 HTTP/1.1\r\n")
			.contains("Upgrade: websocket\r\n", "Sec-WebSocket-Version: 13\r\n");
		assertThat(this.opened).isNotDone();
		this.channel.writeInbound(ascii(UPGRADED));
		assertThat(this.opened).isCompleted();
	}

	@Test
	void failsOnARefusedUpgrade() {
		this.channel.writeInbound(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
		assertThat(this.opened).isCompletedExceptionally();
		assertThat(this.channel.isActive()).isFalse();
	}

	@Test
	void readsMessagesWhateverTheReadsThatBringThem() {
		String large = "x".repeat(70_000);
		byte[] bytes = concat(ascii(UPGRADED).array(), frame(0x81, "first"), frame(0x81, "a".repeat(300)),
				frame(0x81, large), frame(0x01, "frag"), frame(0x89, "ping!"), frame(0x80, "mented"),
				frame(0x81, "last"));
		for (byte b : bytes) {
			this.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
		}
		assertThat(this.messages).containsExactly("first", "a".repeat(300), large, "fragmented", "last");
	}

	@Test
	void answersAPingWithAMaskedPong() {
		this.channel.readOutbound();
		this.channel.writeInbound(Unpooled.wrappedBuffer(concat(ascii(UPGRADED).array(), frame(0x89, "ping!"))));
		ByteBuf pong = this.channel.readOutbound();
		byte[] wire = new byte[pong.readableBytes()];
		pong.readBytes(wire);
		assertThat(wire).isEqualTo(TextFrame.encode(Frames.PONG, "ping!".getBytes(StandardCharsets.UTF_8)));
		assertThat(wire[1] & 0x80).as("masked").isNotZero();
	}

	@Test
	void encodesMaskedFramesOfEveryLength() {
		for (int length : new int[] { 0, 125, 126, 65_535, 65_536 }) {
			byte[] payload = "y".repeat(length).getBytes(StandardCharsets.UTF_8);
			byte[] wire = TextFrame.of(payload).wire();
			int header = (length < 126) ? 2 : (length <= 0xFFFF) ? 4 : 10;
			assertThat(wire).hasSize(header + 4 + length);
			assertThat(wire[0] & 0xFF).isEqualTo(0x81);
			for (int i = 0; i < length; i++) {
				assertThat((byte) (wire[header + 4 + i] ^ wire[header + (i & 3)])).isEqualTo((byte) 'y');
			}
		}
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	/** An unmasked frame, as a server sends it. */
	private static byte[] frame(int first, String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(first);
		if (payload.length < 126) {
			out.write(payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			out.write(126);
			out.write(payload.length >>> 8);
			out.write(payload.length & 0xFF);
		}
		else {
			out.write(127);
			for (int i = 7; i >= 0; i--) {
				out.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
			}
		}
		out.writeBytes(payload);
		return out.toByteArray();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
