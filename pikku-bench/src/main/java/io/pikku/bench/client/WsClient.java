package io.pikku.bench.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.pikku.bench.wire.Frames;

/**
 * The load client: WebSocket connections on a few Netty event loop threads, built to cost
 * the machine as little as possible per frame, since it shares the CPU with the server it
 * measures. The handshake and the frame format are written out here rather than taken
 * from Netty's WebSocket codec: frames are read in place from the socket's buffer (no
 * frame objects, no aggregation, no decoding of text), and what is sent is pre-encoded
 * and pre-masked ({@link TextFrame}). What a connection writes from its own event loop
 * while it reads is flushed once, when the read is done, so a burst of answers costs one
 * write system call.
 */
public final class WsClient implements AutoCloseable {

	/** The largest message accepted from a server. */
	private static final int MAX_MESSAGE = 1 << 20;

	/** The handshake key of every connection; RFC 6455's example, and its answer. */
	private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

	private static final String ACCEPT = "s3pplmbitxaq9kygzzhzrbk+xoo=";

	private final EventLoopGroup group;

	/**
	 * Bounds the handshakes in flight, so that opening thousands does not overflow
	 * backlogs.
	 */
	private final Semaphore handshakes = new Semaphore(64);

	/**
	 * A client with its own event loop threads.
	 * @param threads how many
	 */
	public WsClient(int threads) {
		this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
	}

	/**
	 * Opens a connection.
	 * @param uri a {@code ws://} URI
	 * @param listener what receives its messages
	 * @return completes with the open connection
	 */
	public CompletableFuture<WsConnection> connect(URI uri, Listener listener) {
		CompletableFuture<WsConnection> opened = new CompletableFuture<>();
		this.handshakes.acquireUninterruptibly();
		opened.whenComplete((connection, failure) -> this.handshakes.release());
		WsConnection connection = new WsConnection(uri, listener, opened);
		new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.handler(connection)
			.connect(uri.getHost(), uri.getPort())
			.addListener((future) -> {
				if (!future.isSuccess()) {
					opened.completeExceptionally(future.cause());
				}
			});
		opened.orTimeout(60, TimeUnit.SECONDS);
		return opened;
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** Receives a connection's messages on its event loop. */
	public interface Listener {

		/**
		 * A text message arrived.
		 * @param connection the connection
		 * @param buffer holds the message's UTF-8 bytes, valid during the call only
		 * @param index where they start in {@code buffer}
		 * @param length how many
		 * @param receivedAt {@link System#nanoTime()} when the read that brought it
		 * returned
		 */
		void onText(WsConnection connection, ByteBuf buffer, int index, int length, long receivedAt);

		/**
		 * The messages of one read have all been handed over; what is written now is
		 * flushed with them.
		 * @param connection the connection
		 */
		default void onReadComplete(WsConnection connection) {
		}

	}

	/** One WebSocket connection, and the handler that reads its bytes. */
	public static final class WsConnection extends ChannelInboundHandlerAdapter {

		private final URI uri;

		private final Listener listener;

		private final CompletableFuture<WsConnection> opened;

		private Channel channel;

		private boolean upgraded;

		/** Bytes read but not yet parsed, or null. */
		private ByteBuf cumulation;

		/** The parts so far of a fragmented message, or null. */
		private ByteBuf fragments;

		/** Whether something was written on the event loop and awaits a flush. */
		private boolean unflushed;

		WsConnection(URI uri, Listener listener, CompletableFuture<WsConnection> opened) {
			this.uri = uri;
			this.listener = listener;
			this.opened = opened;
		}

		/**
		 * Sends a frame and flushes it; safe from any thread.
		 * @param frame the frame
		 */
		public void send(TextFrame frame) {
			this.channel.writeAndFlush(Unpooled.wrappedBuffer(frame.wire()), this.channel.voidPromise());
		}

		/**
		 * Writes encoded frames without flushing them; on the event loop only. They are
		 * flushed when the current read is done, or by {@link #flush()}.
		 * @param frames one or more encoded frames (released once written)
		 */
		public void write(ByteBuf frames) {
			this.channel.write(frames, this.channel.voidPromise());
			this.unflushed = true;
		}

		/** Flushes what {@link #write(ByteBuf)} wrote; on the event loop only. */
		public void flush() {
			if (this.unflushed) {
				this.unflushed = false;
				this.channel.flush();
			}
		}

		/**
		 * Runs a task on this connection's event loop, where its messages arrive.
		 * @param task the task
		 */
		public void execute(Runnable task) {
			this.channel.eventLoop().execute(task);
		}

		/**
		 * The event loop this connection reads on.
		 * @return the event loop
		 */
		public EventLoop eventLoop() {
			return this.channel.eventLoop();
		}

		/**
		 * The allocator of buffers to {@link #write(ByteBuf)}.
		 * @return the allocator
		 */
		public ByteBufAllocator alloc() {
			return this.channel.alloc();
		}

		public boolean isOpen() {
			return this.channel.isActive();
		}

		/** Closes the TCP connection at once. */
		public void close() {
			this.channel.close();
		}

		@Override
		public void channelActive(ChannelHandlerContext context) {
			this.channel = context.channel();
			String path = (this.uri.getRawPath() == null || this.uri.getRawPath().isEmpty()) ? "/"
					: this.uri.getRawPath();
			if (this.uri.getRawQuery() != null) {
				path += "?" + this.uri.getRawQuery();
			}
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + this.uri.getHost() + ":" + this.uri.getPort()
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
					+ "\r\nSec-WebSocket-Version: 13\r\n\r\n";
			context.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			long receivedAt = System.nanoTime();
			ByteBuf in = cumulate((ByteBuf) message);
			try {
				if (!this.upgraded && !readUpgrade(in)) {
					return;
				}
				readFrames(in, receivedAt);
			}
			finally {
				keep(in, (ByteBuf) message);
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			if (this.upgraded) {
				this.listener.onReadComplete(this);
			}
			flush();
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			this.opened.completeExceptionally(new IllegalStateException("Connection closed during the handshake"));
			if (this.cumulation != null) {
				this.cumulation.release();
				this.cumulation = null;
			}
			if (this.fragments != null) {
				this.fragments.release();
				this.fragments = null;
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			this.opened.completeExceptionally(cause);
			context.close();
		}

		private ByteBuf cumulate(ByteBuf message) {
			if (this.cumulation == null) {
				return message;
			}
			this.cumulation.ensureWritable(message.readableBytes());
			this.cumulation.writeBytes(message);
			message.release();
			return this.cumulation;
		}

		/** Keeps what is left of a read for the next one. */
		private void keep(ByteBuf in, ByteBuf message) {
			if (!this.channel.isActive() || !in.isReadable()) {
				in.release();
				this.cumulation = null;
			}
			else if (in == message) {
				this.cumulation = this.channel.alloc().buffer(Math.max(4096, 2 * in.readableBytes()));
				this.cumulation.writeBytes(in);
				in.release();
			}
			else {
				in.discardSomeReadBytes();
			}
		}

		/** Reads the server's answer to the upgrade request, if all of it is there. */
		private boolean readUpgrade(ByteBuf in) {
			int end = Frames.endOfHead(in);
			if (end < 0) {
				return false;
			}
			String response = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.US_ASCII);
			in.readerIndex(end);
			String lower = response.toLowerCase(Locale.ROOT);
			if (!response.startsWith("HTTP/1.1 101") || !lower.contains("sec-websocket-accept: " + ACCEPT)) {
				this.opened.completeExceptionally(new IllegalStateException(
						"The upgrade was refused: " + response.lines().findFirst().orElse(response)));
				this.channel.close();
				return false;
			}
			this.upgraded = true;
			this.opened.complete(this);
			return true;
		}

		/** Hands over every whole frame in the buffer, in place. */
		private void readFrames(ByteBuf in, long receivedAt) {
			int at = in.readerIndex();
			int end = in.writerIndex();
			while (end - at >= Frames.MIN_HEADER && this.channel.isActive()) {
				int header = Frames.headerLength(in, at);
				if (end - at < header) {
					break;
				}
				long length = Frames.payloadLength(in, at);
				if (Frames.isMasked(in, at) || length < 0 || length > MAX_MESSAGE) {
					fail("The server sent a masked or oversized frame");
					return;
				}
				if (end - at - header < length) {
					break;
				}
				int frame = at;
				at += header + (int) length;
				onFrame(Frames.opcode(in, frame), Frames.isFinal(in, frame), in, frame + header, (int) length,
						receivedAt);
			}
			in.readerIndex(at);
		}

		private void onFrame(int opcode, boolean fin, ByteBuf in, int payload, int length, long receivedAt) {
			switch (opcode) {
				case Frames.TEXT -> {
					if (fin) {
						this.listener.onText(this, in, payload, length, receivedAt);
					}
					else {
						this.fragments = this.channel.alloc().heapBuffer(Math.max(256, 2 * length));
						this.fragments.writeBytes(in, payload, length);
					}
				}
				case Frames.CONTINUATION -> {
					if (this.fragments == null) {
						fail("A continuation frame without a message");
						return;
					}
					if (this.fragments.readableBytes() + length > MAX_MESSAGE) {
						fail("A fragmented message over " + MAX_MESSAGE + " bytes");
						return;
					}
					this.fragments.writeBytes(in, payload, length);
					if (fin) {
						ByteBuf whole = this.fragments;
						this.fragments = null;
						try {
							this.listener.onText(this, whole, whole.readerIndex(), whole.readableBytes(), receivedAt);
						}
						finally {
							whole.release();
						}
					}
				}
				case Frames.CLOSE -> {
					byte[] status = new byte[Math.min(length, 2)];
					in.getBytes(payload, status);
					this.channel.writeAndFlush(Unpooled.wrappedBuffer(TextFrame.encode(Frames.CLOSE, status)))
						.addListener((future) -> this.channel.close());
				}
				case Frames.PING -> {
					byte[] ping = new byte[length];
					in.getBytes(payload, ping);
					write(Unpooled.wrappedBuffer(TextFrame.encode(Frames.PONG, ping)));
				}
				default -> {
					// Pongs and binary messages: nothing the benchmark reads.
				}
			}
		}

		private void fail(String reason) {
			this.opened.completeExceptionally(new IllegalStateException(reason));
			this.channel.close();
		}

	}

}
