package io.pikku.bench.server;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The ceiling: a bare {@code TextWebSocketHandler} on the same stack, with no framework,
 * that parses the same JSON frame and writes the same reply; its fan-out is a loop over
 * the subscribed sessions.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocket
@Import(HeapEndpoint.class)
class RawEchoServer implements WebSocketConfigurer {

	private final JsonMapper mapper;

	RawEchoServer(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(echoHandler(), "/echo");
	}

	@Bean
	EchoHandler echoHandler() {
		return new EchoHandler(this.mapper);
	}

	static final class EchoHandler extends TextWebSocketHandler {

		private static final String SAFE = "safe";

		private final JsonMapper mapper;

		private final Map<String, Set<WebSocketSession>> topics = new ConcurrentHashMap<>();

		EchoHandler(JsonMapper mapper) {
			this.mapper = mapper;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			session.getAttributes().put(SAFE, new ConcurrentWebSocketSessionDecorator(session, 10_000, 512 * 1024));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			WebSocketSession safe = (WebSocketSession) session.getAttributes().get(SAFE);
			JsonNode frame = this.mapper.readTree(message.getPayload());
			String action = frame.path("action").asString("");
			ObjectNode reply = this.mapper.createObjectNode().put("action", action);
			switch (action) {
				case "echo" -> reply.put("text", frame.path("text").asString());
				case "subscribe" -> {
					String topic = frame.path("topic").asString();
					this.topics.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(safe);
					reply.put("subscribed", true).put("topic", topic);
				}
				case "publish" -> {
					TextMessage delivery = new TextMessage(this.mapper.writeValueAsString(frame.path("payload")));
					for (WebSocketSession subscriber : this.topics.getOrDefault(frame.path("topic").asString(),
							Set.of())) {
						subscriber.sendMessage(delivery);
					}
					reply.put("published", true);
				}
				default -> reply.put("error", "unknown action");
			}
			safe.sendMessage(new TextMessage(this.mapper.writeValueAsString(reply)));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			Object safe = session.getAttributes().get(SAFE);
			this.topics.values().forEach((subscribers) -> subscribers.remove(safe));
		}

	}

}
