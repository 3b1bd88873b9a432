package io.pikku.bench.server;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The ceiling of the reactive stack: a bare WebFlux {@code WebSocketHandler} on Reactor
 * Netty, with no framework, that parses the same JSON frame as {@link RawEchoServer} and
 * writes the same reply through {@code session.send(...)}. Each session's outbound frames
 * go through its own sink; the fan-out is a loop over the subscribed sessions' sinks.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(HeapEndpoint.class)
class WebFluxEchoServer {

	@Bean
	HandlerMapping echoHandlerMapping(JsonMapper mapper) {
		// Before the annotated controllers' mapping (order 0), as the WebFlux reference
		// shows.
		return new SimpleUrlHandlerMapping(Map.of("/echo", new EchoHandler(mapper)), -1);
	}

	static final class EchoHandler implements WebSocketHandler {

		private final JsonMapper mapper;

		private final Map<String, Set<Outbound>> topics = new ConcurrentHashMap<>();

		EchoHandler(JsonMapper mapper) {
			this.mapper = mapper;
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			Outbound outbound = new Outbound();
			Mono<Void> input = session.receive()
				.doOnNext((message) -> onText(outbound, message.getPayloadAsText()))
				.doFinally((signal) -> {
					this.topics.values().forEach((subscribers) -> subscribers.remove(outbound));
					outbound.complete();
				})
				.then();
			Mono<Void> output = session.send(outbound.frames().map(session::textMessage));
			return Mono.when(input, output);
		}

		private void onText(Outbound outbound, String text) {
			JsonNode frame = this.mapper.readTree(text);
			String action = frame.path("action").asString("");
			ObjectNode reply = this.mapper.createObjectNode().put("action", action);
			switch (action) {
				case "echo" -> reply.put("text", frame.path("text").asString());
				case "subscribe" -> {
					String topic = frame.path("topic").asString();
					this.topics.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(outbound);
					reply.put("subscribed", true).put("topic", topic);
				}
				case "publish" -> {
					String delivery = this.mapper.writeValueAsString(frame.path("payload"));
					for (Outbound subscriber : this.topics.getOrDefault(frame.path("topic").asString(), Set.of())) {
						subscriber.emit(delivery);
					}
					reply.put("published", true);
				}
				default -> reply.put("error", "unknown action");
			}
			outbound.emit(this.mapper.writeValueAsString(reply));
		}

	}

	/**
	 * A session's outbound frames. Its own replies and other sessions' publishes emit
	 * from different threads, and a sink takes one emission at a time: they take turns
	 * under its lock.
	 */
	static final class Outbound {

		private final Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();

		Flux<String> frames() {
			return this.sink.asFlux();
		}

		synchronized void emit(String text) {
			// Fails only once the session is gone (terminated or cancelled): nothing to
			// deliver to then.
			this.sink.tryEmitNext(text);
		}

		synchronized void complete() {
			this.sink.tryEmitComplete();
		}

	}

}
