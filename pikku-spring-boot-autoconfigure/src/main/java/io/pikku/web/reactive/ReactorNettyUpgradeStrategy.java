package io.pikku.web.reactive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * Upgrades requests on Reactor Netty, as Spring's own strategy does, with a frame size
 * limit of its own, message size limits applied while a fragmented message is assembled,
 * sessions that can drop their connection without a close handshake (a client that
 * stopped reading never reads the close frame), and sessions that keep nothing of their
 * upgrade request: each runs in an empty Reactor context, as a servlet container's
 * session runs outside its upgrade request.
 */
public final class ReactorNettyUpgradeStrategy implements RequestUpgradeStrategy {

	/**
	 * The native message of a fragmented message that grew past its size limit: its
	 * fragments were dropped as they came, and the session receives this marker, with no
	 * payload, when the last one arrives.
	 */
	public static final Object OVERSIZED_MESSAGE = new Object();

	private final int maxFramePayloadLength;

	private final int maxTextMessageSize;

	private final int maxBinaryMessageSize;

	/**
	 * A strategy reading frames up to the given size.
	 * @param maxFramePayloadLength the largest frame read; a larger one closes the
	 * connection with 1009
	 * @param maxTextMessageSize the largest text message assembled from fragments
	 * @param maxBinaryMessageSize the largest binary message assembled from fragments
	 */
	public ReactorNettyUpgradeStrategy(int maxFramePayloadLength, int maxTextMessageSize, int maxBinaryMessageSize) {
		this.maxFramePayloadLength = maxFramePayloadLength;
		this.maxTextMessageSize = maxTextMessageSize;
		this.maxBinaryMessageSize = maxBinaryMessageSize;
	}

	@Override
	public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
			Supplier<HandshakeInfo> handshakeInfoFactory) {
		ServerHttpResponse response = exchange.getResponse();
		HttpServerResponse nettyResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		HandshakeInfo handshakeInfo = handshakeInfoFactory.get();
		NettyDataBufferFactory bufferFactory = (NettyDataBufferFactory) response.bufferFactory();
		return response.setComplete().then(Mono.defer(() -> {
			WebsocketServerSpec.Builder builder = WebsocketServerSpec.builder()
				.maxFramePayloadLength(this.maxFramePayloadLength);
			if (subProtocol != null) {
				builder.protocols(subProtocol);
			}
			WebsocketServerSpec spec = builder.build();
			// Reactor Netty runs the session in the context of this Mono's subscriber:
			// the request's, which holds the exchange and the request's observations
			// (WebFlux's and Spring Security's, stopped once the upgrade is done) for as
			// long as the connection lives. The session needs nothing of it.
			return nettyResponse.sendWebsocket((inbound, outbound) -> {
				inbound.withConnection(ReactorNettyUpgradeStrategy::readFairly);
				return handler.handle(new DroppableSession(inbound, outbound, handshakeInfo, bufferFactory, spec,
						this.maxTextMessageSize, this.maxBinaryMessageSize));
			}, spec).contextWrite((context) -> Context.empty());
		}));
	}

	/**
	 * Makes a WebSocket connection read once per turn of its event loop, which many
	 * connections share. Netty reads up to 16 times 64 KB per turn by default: up to
	 * 25,000 small frames of a flooding client were then handled before a neighbour's
	 * next frame, holding it up for 100 ms.
	 */
	private static void readFairly(Connection connection) {
		// Each channel has its own allocator, whose handle reads this on every read.
		if (connection.channel().config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator reads) {
			reads.maxMessagesPerRead(1);
		}
	}

	/**
	 * A session on Reactor Netty that can drop its connection, and that assembles
	 * fragmented messages itself: up to the message size limits, and past them it drops
	 * the fragments as they come, so that such a message is answered like any message
	 * over the limit, and the connection goes on reading.
	 */
	static final class DroppableSession extends ReactorNettyWebSocketSession {

		private final int maxTextMessageSize;

		private final int maxBinaryMessageSize;

		// The fragmented message being assembled, copied onto the heap (nothing to
		// release); touched by the connection's event loop only.
		private @Nullable ByteArrayOutputStream parts;

		private WebSocketMessage.@Nullable Type partsType;

		private int partsRsv;

		private long partsSize;

		DroppableSession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
				NettyDataBufferFactory bufferFactory, WebsocketServerSpec spec, int maxTextMessageSize,
				int maxBinaryMessageSize) {
			super(inbound, outbound, info, bufferFactory, spec.maxFramePayloadLength());
			this.maxTextMessageSize = maxTextMessageSize;
			this.maxBinaryMessageSize = maxBinaryMessageSize;
		}

		@Override
		public Flux<WebSocketMessage> receive() {
			return getDelegate().getInbound().receiveFrames().handle(this::assemble);
		}

		private void assemble(WebSocketFrame frame, SynchronousSink<WebSocketMessage> sink) {
			if (frame instanceof ContinuationWebSocketFrame) {
				if (this.partsType != null) {
					add(frame.content());
					if (frame.isFinalFragment()) {
						sink.next(complete());
					}
				}
			}
			else if (!frame.isFinalFragment()
					&& (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)) {
				this.partsType = (frame instanceof TextWebSocketFrame) ? WebSocketMessage.Type.TEXT
						: WebSocketMessage.Type.BINARY;
				this.partsRsv = frame.rsv();
				this.parts = new ByteArrayOutputStream();
				this.partsSize = 0;
				add(frame.content());
			}
			else {
				sink.next(toMessage(frame));
			}
		}

		private void add(ByteBuf content) {
			int size = content.readableBytes();
			this.partsSize += size;
			ByteArrayOutputStream parts = this.parts;
			if (parts == null) {
				return;
			}
			int limit = (this.partsType == WebSocketMessage.Type.TEXT) ? this.maxTextMessageSize
					: this.maxBinaryMessageSize;
			if (this.partsSize > limit) {
				this.parts = null;
			}
			else {
				try {
					content.getBytes(content.readerIndex(), parts, size);
				}
				catch (IOException ex) {
					// never: a ByteArrayOutputStream does not fail
					throw new UncheckedIOException(ex);
				}
			}
		}

		private WebSocketMessage complete() {
			WebSocketMessage.Type type = this.partsType;
			ByteArrayOutputStream parts = this.parts;
			this.partsType = null;
			this.parts = null;
			if (parts == null) {
				return new WebSocketMessage(type, bufferFactory().wrap(new byte[0]), OVERSIZED_MESSAGE);
			}
			ByteBuf content = Unpooled.wrappedBuffer(parts.toByteArray());
			return toMessage((type == WebSocketMessage.Type.TEXT) ? new TextWebSocketFrame(true, this.partsRsv, content)
					: new BinaryWebSocketFrame(true, this.partsRsv, content));
		}

		/**
		 * Pings the client on the connection's event loop, written next to the send's
		 * frames rather than through it, unless the connection is closing by then: a
		 * close that the server starts is queued only once closing, so no ping follows
		 * its close frame. Reactor Netty answers a client's close itself, without that
		 * flag: a ping may still follow its answer, as a queued ping could before.
		 * @param closing whether the connection is closing
		 */
		void ping(BooleanSupplier closing) {
			getDelegate().getInbound().withConnection((connection) -> {
				Channel channel = connection.channel();
				channel.eventLoop().execute(() -> {
					if (!closing.getAsBoolean()) {
						channel.writeAndFlush(new PingWebSocketFrame());
					}
				});
			});
		}

		/** Closes the TCP connection at once. */
		void drop() {
			getDelegate().getInbound().withConnection(Connection::dispose);
		}

	}

}
