package io.pikku.web.servlet;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpenChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The WebSocket handler of one channel route: opens the channel, assembles partial frames
 * up to the size limits and hands whole frames to the runtime.
 */
final class ChannelWebSocketHandler implements WebSocketHandler {

	private static final Log logger = LogFactory.getLog(ChannelWebSocketHandler.class);

	private static final String CONNECTION_ATTRIBUTE = ChannelWebSocketHandler.class.getName() + ".connection";

	private final ChannelRuntime runtime;

	private final String channelName;

	private final ServletChannelTransport transport;

	ChannelWebSocketHandler(ChannelRuntime runtime, String channelName, ServletChannelTransport transport) {
		this.runtime = runtime;
		this.channelName = channelName;
		this.transport = transport;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		Object openingData = session.getAttributes().remove(OpeningDataHandshakeInterceptor.OPENING_DATA_ATTRIBUTE);
		if (openingData == null) {
			throw new IllegalStateException("Channel '" + this.channelName + "' opened without its opening data");
		}
		ServletConnection connection = new ServletConnection(session, this.transport,
				this.runtime.settings().maxTextMessageSize(), this.runtime.settings().maxBinaryMessageSize());
		session.getAttributes().put(CONNECTION_ATTRIBUTE, connection);
		this.transport.opened(connection);
		OpenChannel channel = this.runtime.open(this.channelName, openingData,
				this.transport.sessionResolver().resolve(session.getPrincipal()), connection);
		connection.bind(channel);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		ServletConnection connection = connection(session);
		if (connection == null) {
			return;
		}
		if (message instanceof TextMessage text) {
			connection.receiveText(text.getPayload(), text.isLast());
		}
		else if (message instanceof BinaryMessage binary) {
			connection.receiveBinary(binary.getPayload(), binary.isLast());
		}
		else {
			connection.pong();
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on channel '" + this.channelName + "' session " + session.getId(), exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		ServletConnection connection = connection(session);
		if (connection != null) {
			this.transport.released(connection);
			connection.closed();
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static ServletConnection connection(WebSocketSession session) {
		return (ServletConnection) session.getAttributes().get(CONNECTION_ATTRIBUTE);
	}

}
