package io.pikku.bench.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.function.IntConsumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.pikku.bench.wire.Frames;

/**
 * The load client's ceiling: a WebSocket server that answers every frame with the same
 * pre-encoded echo reply and does nothing else (no parsing of the payload, no JSON, no
 * framework), on plain Netty like the client. A round trip against it costs the server
 * next to nothing, so its rate is what the client itself can drive on this machine. It
 * answers the frames of one read with one write.
 */
public final class CannedReplyServer {

	/** The reply the bare handlers give to the benchmark's echo call. */
	static final String REPLY = "{\"action\":\"echo\",\"text\":\"hello from the benchmark\"}";

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private CannedReplyServer() {
	}

	/**
	 * Serves until the process ends.
	 * @param port the port, or 0 for one the system picks
	 * @param listening told the port once the server listens
	 */
	public static void run(int port, IntConsumer listening) throws InterruptedException {
		byte[] frame = Frames.encode(Frames.TEXT, REPLY.getBytes(StandardCharsets.UTF_8), null);
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
				NioIoHandler.newFactory());
		Channel server = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new Connection(frame));
				}
			})
			.bind("127.0.0.1", port)
			.sync()
			.channel();
		listening.accept(((InetSocketAddress) server.localAddress()).getPort());
		server.closeFuture().sync();
	}

	private static final class Connection extends ChannelInboundHandlerAdapter {

		private final byte[] reply;

		private ByteBuf cumulation;

		private boolean upgraded;

		private int owed;

		Connection(byte[] reply) {
			this.reply = reply;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			ByteBuf in = (ByteBuf) message;
			if (this.cumulation != null) {
				this.cumulation.writeBytes(in);
				in.release();
				in = this.cumulation;
			}
			if (this.upgraded || upgrade(context, in)) {
				frames(context, in);
			}
			if (!in.isReadable()) {
				in.release();
				this.cumulation = null;
			}
			else if (in != this.cumulation) {
				this.cumulation = context.alloc().buffer(Math.max(4096, 2 * in.readableBytes()));
				this.cumulation.writeBytes(in);
				in.release();
			}
			else {
				in.discardSomeReadBytes();
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			if (this.owed > 0) {
				ByteBuf out = context.alloc().directBuffer(this.owed * this.reply.length);
				for (int i = 0; i < this.owed; i++) {
					out.writeBytes(this.reply);
				}
				this.owed = 0;
				context.writeAndFlush(out, context.voidPromise());
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			if (this.cumulation != null) {
				this.cumulation.release();
				this.cumulation = null;
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			context.close();
		}

		private boolean upgrade(ChannelHandlerContext context, ByteBuf in) {
			int end = Frames.endOfHead(in);
			if (end < 0) {
				return false;
			}
			String request = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.US_ASCII);
			in.readerIndex(end);
			String key = request.lines()
				.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse(null);
			if (key == null) {
				context
					.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
							StandardCharsets.US_ASCII))
					.addListener((future) -> context.close());
				return false;
			}
			String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
			context.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII));
			this.upgraded = true;
			return true;
		}

		/** Counts the whole frames in the buffer; a close frame closes the connection. */
		private void frames(ChannelHandlerContext context, ByteBuf in) {
			int at = in.readerIndex();
			int end = in.writerIndex();
			while (end - at >= Frames.MIN_HEADER) {
				int header = Frames.headerLength(in, at);
				if (end - at < header || end - at - header < Frames.payloadLength(in, at)) {
					break;
				}
				int opcode = Frames.opcode(in, at);
				at += header + (int) Frames.payloadLength(in, at);
				if (opcode == Frames.CLOSE) {
					context.writeAndFlush(Unpooled.wrappedBuffer(Frames.encode(Frames.CLOSE, new byte[0], null)))
						.addListener((future) -> context.close());
					break;
				}
				if (opcode == Frames.TEXT) {
					this.owed++;
				}
			}
			in.readerIndex(at);
		}

		private static String accept(String key) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1")
					.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
				return Base64.getEncoder().encodeToString(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
