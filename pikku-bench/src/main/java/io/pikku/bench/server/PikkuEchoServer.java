package io.pikku.bench.server;

import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.eventhub.EventHub;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Our server: the sample app's {@code echo} channel ({@code echo}, {@code subscribe},
 * {@code publish}) with validated, typed input, written as a user would. The same
 * application serves on Tomcat ({@link ServerKind#PIKKU}) or on WebFlux and Reactor Netty
 * ({@link ServerKind#PIKKU_REACTIVE}).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(HeapEndpoint.class)
class PikkuEchoServer {

	@Bean
	ChannelDefinition<?> echoChannel(EventHub eventHub) {
		// Each only computes or returns a CompletionStage: the reactive transport runs
		// them on the event loop, the servlet transport on the reading thread as ever.
		PikkuFunction<Text, Text> echo = PikkuFunction.builder(Text.class)
			.nonBlocking()
			.handler((input, context) -> input)
			.build();
		PikkuFunction<Topic, ?> subscribe = PikkuFunction.builder(Topic.class)
			.nonBlocking()
			.handler((input, context) -> eventHub.subscribe(input.topic(), context.channel().channelId())
				.thenApply((done) -> Map.of("subscribed", true, "topic", input.topic())))
			.build();
		PikkuFunction<Publication, ?> publish = PikkuFunction.builder(Publication.class)
			.nonBlocking()
			.handler((input, context) -> eventHub.publish(input.topic(), null, input.payload())
				.thenApply((done) -> Map.of("published", true)))
			.build();
		return ChannelDefinition.builder("echo", "/echo")
			.auth(false)
			.action("echo", echo)
			.action("subscribe", subscribe)
			.action("publish", publish)
			.build();
	}

	record Text(@NotNull @Size(min = 1, max = 10000) String text) {
	}

	record Topic(@NotNull @Size(min = 1, max = 200) String topic) {
	}

	record Publication(@NotNull @Size(min = 1, max = 200) String topic, @NotNull JsonNode payload) {
	}

}
