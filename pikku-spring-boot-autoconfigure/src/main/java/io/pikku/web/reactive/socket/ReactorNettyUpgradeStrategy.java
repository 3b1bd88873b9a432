package io.pikku.web.reactive.socket;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * Upgrades requests on Reactor Netty, as Spring's own strategy does, with a frame size
 * limit of its own and sessions that can drop their connection without a close handshake
 * (a client that stopped reading never reads the close frame).
 */
public final class ReactorNettyUpgradeStrategy implements RequestUpgradeStrategy {

	private final int maxFramePayloadLength;

	/**
	 * A strategy reading frames up to the given size.
	 * @param maxFramePayloadLength the largest frame read; a larger one closes the
	 * connection with 1009
	 */
	public ReactorNettyUpgradeStrategy(int maxFramePayloadLength) {
		this.maxFramePayloadLength = maxFramePayloadLength;
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
			return nettyResponse.sendWebsocket((inbound, outbound) -> handler
				.handle(new DroppableSession(inbound, outbound, handshakeInfo, bufferFactory, spec)), spec);
		}));
	}

	/**
	 * A session on Reactor Netty that can drop its connection.
	 */
	static final class DroppableSession extends ReactorNettyWebSocketSession {

		DroppableSession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
				NettyDataBufferFactory bufferFactory, WebsocketServerSpec spec) {
			super(inbound, outbound, info, bufferFactory, spec.maxFramePayloadLength());
		}

		/** Closes the TCP connection at once. */
		void drop() {
			getDelegate().getInbound().withConnection(Connection::dispose);
		}

	}

}
