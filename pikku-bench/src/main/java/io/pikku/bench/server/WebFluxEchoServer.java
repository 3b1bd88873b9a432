package io.pikku.bench.server;

import java.util.Map;

import jakarta.validation.Validator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The ceiling of the reactive stack: a bare WebFlux {@code WebSocketHandler} on Reactor
 * Netty, with no framework, doing the same JSON work as our channel ({@link BareEcho}).
 * Each session's outbound messages go through its own unicast sink into one
 * {@code session.send(flux)}, which lets Reactor Netty batch the writes: Spring's
 * {@code ReactorNettyWebSocketSession.send} hands the flux to
 * {@code WebsocketOutbound.sendObject}, whose {@code MonoSendMany} writes each message
 * without a flush and flushes once its queue drains (after the messages of a read, not
 * one per message). The fan-out is a loop over the subscribed sessions' sinks.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class WebFluxEchoServer {

	@Bean
	HandlerMapping echoHandlerMapping(Validator validator) {
		// Before the annotated controllers' mapping (order 0), as the WebFlux reference
		// shows.
		return new SimpleUrlHandlerMapping(Map.of("/echo", new EchoHandler(validator)), -1);
	}

	static final class EchoHandler implements WebSocketHandler {

		private final BareEcho<Outbound> echo;

		EchoHandler(Validator validator) {
			this.echo = new BareEcho<>(validator, Outbound::emit);
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			Outbound outbound = new Outbound();
			Mono<Void> input = session.receive()
				.doOnNext((message) -> outbound.emit(this.echo.handle(outbound, message.getPayloadAsText())))
				.doFinally((signal) -> {
					this.echo.remove(outbound);
					outbound.complete();
				})
				.then();
			Mono<Void> output = session.send(outbound.messages().map(session::textMessage));
			return Mono.when(input, output);
		}

	}

	/**
	 * A session's outbound messages. Its own replies and other sessions' publishes emit
	 * from different threads, and a sink takes one emission at a time: they take turns
	 * under its lock.
	 */
	static final class Outbound {

		private final Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();

		Flux<String> messages() {
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
