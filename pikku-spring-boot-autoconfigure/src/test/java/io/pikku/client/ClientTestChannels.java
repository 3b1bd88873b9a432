package io.pikku.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.eventhub.EventHub;
import io.pikku.test.EnableAutoConfigurationWithoutWebSecurity;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A channel for the Java client's tests: fast, slow, failing and large replies, an
 * in-band login, topics, a default handler and its opening data (a query's
 * {@code greeting}) read back.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfigurationWithoutWebSecurity
class ClientTestChannels {

	@Bean
	ChannelDefinition<Room> callsChannel(EventHub eventHub) {
		return ChannelDefinition.builder("calls", "/calls/{room}")
			.openingData(Room.class)
			.onConnect((context) -> Map.of("welcome", context.channel().openingData().room()))
			.onMessage(PikkuFunction.of(Text.class, (input, context) -> Map.of("heard", input.text())))
			.action("echo", PikkuFunction.of(Text.class, (input, context) -> input))
			.action("openingData",
					PikkuFunction.builder(Void.class)
						.handler((input, context) -> context.channel().openingData())
						.build())
			.action("slow", PikkuFunction.builder(Millis.class)
				.nonBlocking()
				.handler((input, context) -> CompletableFuture.supplyAsync(() -> Map.of("slept", input.millis()),
						CompletableFuture.delayedExecutor(input.millis(), TimeUnit.MILLISECONDS)))
				.build())
			.action("fail", PikkuFunction.of(Text.class, (input, context) -> {
				throw new PikkuException(input.text(), "Failed on purpose", Map.of("why", "a test"));
			}))
			.action("big", PikkuFunction.of(Size.class, (input, context) -> new Text("x".repeat(input.size()))))
			.action("add", PikkuFunction.of(Sum.class, (input, context) -> input.a() + input.b()))
			.action("login", PikkuFunction.builder(Text.class).auth(false).handler((input, context) -> {
				context.setSession(PikkuSession.of(input.text()));
				return Map.of("userId", input.text());
			}).build())
			.action("whoami",
					PikkuFunction.builder(Void.class)
						.handler((input, context) -> Map.of("userId", context.requireSession().userId()))
						.build())
			.action("subscribe",
					PikkuFunction.of(Topic.class,
							(input, context) -> eventHub.subscribe(input.topic(), context.channel().channelId())
								.thenApply((done) -> Map.of("subscribed", true))))
			.action("hangAndClose", PikkuFunction.builder(Void.class).nonBlocking().handler((input, context) -> {
				var channel = context.channel();
				CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
					.execute(() -> channel.close(4000, "closing on purpose"));
				return new CompletableFuture<Object>();
			}).build())
			.auth(false)
			.build();
	}

	record Room(@Pattern(regexp = "[a-z0-9-]{1,32}") String room, String greeting) {
	}

	record Text(@NotBlank String text) {
	}

	record Millis(long millis) {
	}

	record Size(int size) {
	}

	record Sum(int a, int b) {
	}

	record Topic(@NotBlank String topic) {
	}

}
