package io.pikku.bench.client;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * The load client: WebSocket connections on a few Netty event loop threads, so that the
 * client is not what limits a benchmark. A connection hands each text frame's bytes to
 * its {@link Listener} on its event loop; nothing is decoded that a scenario does not
 * read.
 */
public final class WsClient implements AutoCloseable {

	private static final int MAX_FRAME = 1 << 20;

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
	 * @param listener what receives its frames
	 * @return completes with the open connection
	 */
	public CompletableFuture<WsConnection> connect(URI uri, Listener listener) {
		CompletableFuture<WsConnection> opened = new CompletableFuture<>();
		this.handshakes.acquireUninterruptibly();
		opened.whenComplete((connection, failure) -> this.handshakes.release());
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.maxFramePayloadLength(MAX_FRAME)
			.handshakeTimeoutMillis(30_000)
			.dropPongFrames(true)
			.build();
		new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
								new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME),
								new FrameHandler(listener, opened));
				}
			})
			.connect(uri.getHost(), uri.getPort())
			.addListener((future) -> {
				if (!future.isSuccess()) {
					opened.completeExceptionally(future.cause());
				}
			});
		return opened;
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** Receives a connection's text frames on its event loop. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * A text frame arrived.
		 * @param connection the connection
		 * @param text the frame's UTF-8 bytes, valid during the call
		 */
		void onText(WsConnection connection, ByteBuf text);

	}

	/** One open WebSocket connection. */
	public static final class WsConnection {

		private final Channel channel;

		WsConnection(Channel channel) {
			this.channel = channel;
		}

		/**
		 * Sends a text frame; safe from any thread.
		 * @param utf8 the frame's UTF-8 bytes (not copied: do not change them)
		 */
		public void send(byte[] utf8) {
			this.channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)),
					this.channel.voidPromise());
		}

		/**
		 * Runs a task on this connection's event loop, where its frames arrive.
		 * @param task the task
		 */
		public void execute(Runnable task) {
			this.channel.eventLoop().execute(task);
		}

		public boolean isOpen() {
			return this.channel.isActive();
		}

		/** Closes the TCP connection at once. */
		public void close() {
			this.channel.close();
		}

	}

	private static final class FrameHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {

		private final Listener listener;

		private final CompletableFuture<WsConnection> opened;

		private WsConnection connection;

		FrameHandler(Listener listener, CompletableFuture<WsConnection> opened) {
			this.listener = listener;
			this.opened = opened;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
			if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				this.connection = new WsConnection(context.channel());
				this.opened.complete(this.connection);
			}
			else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				this.opened.completeExceptionally(new IllegalStateException("Handshake timed out"));
			}
			super.userEventTriggered(context, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext context, TextWebSocketFrame frame) {
			this.listener.onText(this.connection, frame.content());
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) throws Exception {
			this.opened.completeExceptionally(new IllegalStateException("Connection closed during the handshake"));
			super.channelInactive(context);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			this.opened.completeExceptionally(cause);
			context.close();
		}

	}

}
