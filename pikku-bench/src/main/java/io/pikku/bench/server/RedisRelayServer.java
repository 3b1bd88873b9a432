package io.pikku.bench.server;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The baseline of scale-out: a bare WebFlux handler (as {@link WebFluxEchoServer}) that
 * relays each publish to the other instances with one Lettuce {@code PUBLISH} per message
 * on one Redis channel per topic (Lettuce flushes each command), delivers it at once to
 * its own subscribers, and skips its own publishes when Redis echoes them back. A topic's
 * channel is subscribed with its first local subscriber, and the subscribe is answered
 * once Redis has confirmed it. A publish is answered as soon as it is handed to Lettuce.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(HeapEndpoint.class)
class RedisRelayServer {

	@Bean
	HandlerMapping relayHandlerMapping(JsonMapper mapper, LettuceConnectionFactory connectionFactory) {
		return new SimpleUrlHandlerMapping(
				Map.of("/echo", new RelayHandler(mapper, (RedisClient) connectionFactory.getRequiredNativeClient())),
				-1);
	}

	static final class RelayHandler implements WebSocketHandler {

		private static final String CHANNEL = "relay:";

		private final JsonMapper mapper;

		private final String instance = UUID.randomUUID().toString();

		private final Map<String, Set<WebFluxEchoServer.Outbound>> topics = new ConcurrentHashMap<>();

		private final StatefulRedisConnection<String, String> commands;

		private final StatefulRedisPubSubConnection<String, String> subscriptions;

		RelayHandler(JsonMapper mapper, RedisClient client) {
			this.mapper = mapper;
			this.commands = client.connect(StringCodec.UTF8);
			this.subscriptions = client.connectPubSub(StringCodec.UTF8);
			this.subscriptions.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					relayed(channel.substring(CHANNEL.length()), message);
				}
			});
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			WebFluxEchoServer.Outbound outbound = new WebFluxEchoServer.Outbound();
			Mono<Void> input = session.receive()
				.doOnNext((message) -> onText(outbound, message.getPayloadAsText()))
				.doFinally((signal) -> {
					this.topics.values().forEach((subscribers) -> subscribers.remove(outbound));
					outbound.complete();
				})
				.then();
			Mono<Void> output = session.send(outbound.messages().map(session::textMessage));
			return Mono.when(input, output);
		}

		private void onText(WebFluxEchoServer.Outbound outbound, String text) {
			JsonNode frame = this.mapper.readTree(text);
			String action = frame.path("action").asString("");
			ObjectNode reply = this.mapper.createObjectNode().put("action", action);
			switch (action) {
				case "echo" -> reply.put("text", frame.path("text").asString());
				case "subscribe" -> {
					String topic = frame.path("topic").asString();
					boolean[] first = new boolean[1];
					this.topics.computeIfAbsent(topic, (key) -> {
						first[0] = true;
						return ConcurrentHashMap.newKeySet();
					}).add(outbound);
					reply.put("subscribed", true).put("topic", topic);
					String answer = this.mapper.writeValueAsString(reply);
					if (first[0]) {
						this.subscriptions.async().subscribe(CHANNEL + topic).thenRun(() -> outbound.emit(answer));
					}
					else {
						outbound.emit(answer);
					}
					return;
				}
				case "publish" -> {
					String topic = frame.path("topic").asString();
					String delivery = this.mapper.writeValueAsString(frame.path("payload"));
					deliver(topic, delivery);
					this.commands.async().publish(CHANNEL + topic, this.instance + "\n" + delivery);
					reply.put("published", true);
				}
				default -> reply.put("error", "unknown action");
			}
			outbound.emit(this.mapper.writeValueAsString(reply));
		}

		private void relayed(String topic, String message) {
			int origin = message.indexOf('\n');
			if (message.regionMatches(0, this.instance, 0, origin) && origin == this.instance.length()) {
				return;
			}
			deliver(topic, message.substring(origin + 1));
		}

		private void deliver(String topic, String delivery) {
			for (WebFluxEchoServer.Outbound subscriber : this.topics.getOrDefault(topic, Set.of())) {
				subscriber.emit(delivery);
			}
		}

	}

}
