package io.pikku.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.validation.Validator;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The ceiling of the servlet stack: a bare {@code TextWebSocketHandler}, with no
 * framework, doing the same JSON work as our channel ({@link BareEcho}) and answering
 * with the blocking {@code sendMessage} on the thread that read the frame, as a Spring
 * user writes it. Each session is wrapped once in a
 * {@code ConcurrentWebSocketSessionDecorator}, since a publish on another connection's
 * thread sends to it too; the fan-out is a loop over the subscribed sessions.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocket
class RawEchoServer implements WebSocketConfigurer {

	private final Validator validator;

	RawEchoServer(Validator validator) {
		this.validator = validator;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new EchoHandler(this.validator), "/echo");
	}

	static final class EchoHandler extends TextWebSocketHandler {

		private static final String SAFE = "safe";

		private final BareEcho<WebSocketSession> echo;

		EchoHandler(Validator validator) {
			this.echo = new BareEcho<>(validator, EchoHandler::send);
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			session.getAttributes().put(SAFE, new ConcurrentWebSocketSessionDecorator(session, 10_000, 512 * 1024));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			WebSocketSession safe = (WebSocketSession) session.getAttributes().get(SAFE);
			send(safe, this.echo.handle(safe, message.getPayload()));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.echo.remove((WebSocketSession) session.getAttributes().get(SAFE));
		}

		private static void send(WebSocketSession session, String text) {
			try {
				session.sendMessage(new TextMessage(text));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
