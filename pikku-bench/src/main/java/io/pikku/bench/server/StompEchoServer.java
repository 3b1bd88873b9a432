package io.pikku.bench.server;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Spring STOMP as a Spring user would write it: {@code @MessageMapping} methods, the
 * simple broker, the echo answered to the sender with {@code @SendToUser} and the fan-out
 * through a broker topic.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocketMessageBroker
@Import(StompEchoServer.EchoController.class)
class StompEchoServer implements WebSocketMessageBrokerConfigurer {

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/stomp");
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic", "/queue");
		registry.setApplicationDestinationPrefixes("/app");
	}

	@Controller
	static class EchoController {

		@MessageMapping("/echo")
		@SendToUser(destinations = "/queue/echo", broadcast = false)
		Map<String, Object> echo(Text text) {
			return Map.of("action", "echo", "text", text.text());
		}

		@MessageMapping("/publish")
		@SendTo("/topic/bench")
		JsonNode publish(JsonNode payload) {
			return payload;
		}

	}

	record Text(String text) {
	}

}
