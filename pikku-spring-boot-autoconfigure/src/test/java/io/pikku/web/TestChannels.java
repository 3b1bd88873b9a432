package io.pikku.web;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pikku.test.EnableAutoConfigurationWithoutWebSecurity;
import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Channels that exercise the whole lifecycle, for the integration tests.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfigurationWithoutWebSecurity
class TestChannels {

	/** Records each onDisconnect, for the tests to see. */
	static final List<String> disconnected = new CopyOnWriteArrayList<>();

	/**
	 * Counted down by the "wake" action; the "nap" action blocks until it reaches zero.
	 */
	static volatile CountDownLatch wakeUps = new CountDownLatch(0);

	@Bean
	ChannelDefinition<Room> roomsChannel() {
		PikkuFunction<Text, Text> echo = PikkuFunction.of(Text.class, (input, context) -> input);
		PikkuFunction<Sum, Integer> add = PikkuFunction.of(Sum.class, (input, context) -> input.a() + input.b());
		PikkuFunction<Void, Object> noop = PikkuFunction.of(Void.class, (input, context) -> null);
		PikkuFunction<Void, Object> progress = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().send(Map.of("step", 1));
			context.channel().send(Map.of("step", 2));
			return Map.of("done", true);
		});
		PikkuFunction<Void, Object> later = PikkuFunction.of(Void.class, (input, context) -> {
			var channel = context.channel();
			new Thread(() -> {
				sleep(50);
				try {
					channel.send(Map.of("from", "another thread"));
				}
				catch (ChannelClosedException ex) {
					// The client went away meanwhile (the fuzzer does).
				}
			}).start();
			return Map.of("scheduled", true);
		});
		PikkuFunction<Sum, Object> slow = PikkuFunction.of(Sum.class,
				(input, context) -> CompletableFuture.supplyAsync(() -> Map.of("sum", input.a() + input.b()),
						CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
		PikkuFunction<Void, Object> crash = PikkuFunction.of(Void.class, (input, context) -> {
			throw new IllegalStateException("database password is hunter2");
		});
		PikkuFunction<Void, Object> missing = PikkuFunction.of(Void.class, (input, context) -> {
			throw PikkuException.notFound("No such thing");
		});
		PikkuFunction<Void, Object> quota = PikkuFunction.of(Void.class, (input, context) -> {
			throw new PikkuException("quota_exceeded", "Quota exceeded", Map.of("limit", 3));
		});
		PikkuFunction<Text, Object> remember = PikkuFunction.of(Text.class, (input, context) -> {
			context.channel().setState(input.text());
			return null;
		});
		PikkuFunction<Void, Object> recall = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("state", String.valueOf(context.channel().getState(String.class))));
		PikkuFunction<Void, Object> bye = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().send(Map.of("bye", true));
			context.channel().close(4000, "bye");
			return null;
		});
		PikkuFunction<Text, Map<String, String>> login = PikkuFunction.builder(Text.class)
			.auth(false)
			.handler((input, context) -> {
				context.setSession(PikkuSession.of(input.text()));
				return Map.of("userId", input.text());
			})
			.build();
		PikkuFunction<Void, Map<String, String>> whoami = PikkuFunction.builder(Void.class)
			.auth(true)
			.handler((input, context) -> Map.of("userId", context.requireSession().userId()))
			.build();
		PikkuFunction<Void, Object> logout = PikkuFunction.of(Void.class, (input, context) -> {
			context.clearSession();
			return Map.of("loggedOut", true);
		});
		PikkuFunction<Void, Object> opening = PikkuFunction.of(Void.class,
				(input, context) -> context.channel().openingData(Room.class));
		PikkuFunction<Void, Object> stop = PikkuFunction.of(Void.class, (input, context) -> Map.of("stopped", true));
		PikkuFunction<JsonNode, Object> fallback = PikkuFunction.of(JsonNode.class,
				(frame, context) -> Map.of("default", frame));
		return ChannelDefinition.builder("rooms", "/rooms/{room}")
			.openingData(Room.class)
			.auth(false)
			.onConnect((context) -> Map.of("welcome", context.channel().openingData().room(), "name",
					String.valueOf(context.channel().openingData().name())))
			.onDisconnect((context) -> disconnected.add(context.channel().openingData().room()))
			.action("echo", echo)
			.action("nap", PikkuFunction.of(Void.class, (input, context) -> {
				boolean woken = wakeUps.await(5, TimeUnit.SECONDS);
				return Map.of("woken", woken);
			}))
			.action("wake", PikkuFunction.of(Void.class, (input, context) -> {
				wakeUps.countDown();
				return Map.of("awake", true);
			}))
			.action("sleepy", PikkuFunction.of(Text.class, (input, context) -> {
				Thread.sleep(200);
				return input;
			}))
			.action("thread",
					PikkuFunction.of(Void.class,
							(input, context) -> Map.of("thread", Thread.currentThread().getName())))
			.action("loopThread",
					PikkuFunction.of(Void.class,
							(input, context) -> Map.of("thread", Thread.currentThread().getName())),
					(options) -> options.nonBlocking())
			.action("mono",
					PikkuFunction.builder(Text.class)
						.nonBlocking()
						.handler((input, context) -> Mono.delay(Duration.ofMillis(50)).map((tick) -> input))
						.build())
			.action("add", add)
			.action("noop", noop)
			.action("progress", progress)
			.action("later", later)
			.action("slow", slow)
			.action("crash", crash)
			.action("missing", missing)
			.action("quota", quota)
			.action("remember", remember)
			.action("recall", recall)
			.action("bye", bye)
			.action("login", login)
			.action("whoami", whoami)
			.action("logout", logout)
			.action("opening", opening)
			.action("double", PikkuFunction.of(DoubleValue.class, (input, context) -> input))
			.action("float", PikkuFunction.of(FloatValue.class, (input, context) -> input))
			.action("long", PikkuFunction.of(LongValue.class, (input, context) -> input))
			.action("decimal", PikkuFunction.of(DecimalValue.class, (input, context) -> input))
			.action("node", PikkuFunction.of(JsonNode.class, (input, context) -> input))
			.action("limited", noop, (options) -> options.rateLimit(1, 2))
			.action("command", "stop", stop)
			.action("command", "echo", add)
			.onMessage(fallback)
			.build();
	}

	@Bean
	ChannelDefinition<?> textOnlyChannel() {
		return ChannelDefinition.builder("text", "/text")
			.auth(false)
			.action("echo", PikkuFunction.of(Text.class, (input, context) -> input))
			.build();
	}

	@Bean
	ChannelDefinition<?> broadcastChannel(io.pikku.eventhub.EventHub eventHub) {
		PikkuFunction<Blast, Object> blast = PikkuFunction.of(Blast.class, (input, context) -> {
			String filler = "x".repeat(input.size());
			for (int i = 0; i < input.count(); i++) {
				eventHub.publish("all", null, Map.of("n", i, "filler", filler));
				if (input.pauseEvery() > 0 && i % input.pauseEvery() == 0) {
					sleep(1);
				}
			}
			return Map.of("sent", input.count());
		});
		return ChannelDefinition.builder("broadcast", "/broadcast")
			.auth(false)
			.onConnect((context) -> eventHub.subscribe("all", context.channel().channelId())
				.thenApply((subscribed) -> Map.of("subscribed", true)))
			.action("blast", blast)
			.action("echo", PikkuFunction.of(Text.class, (input, context) -> input))
			.action("big", PikkuFunction.of(Big.class, (input, context) -> Map.of("text", "b".repeat(input.size()))))
			.build();
	}

	record Big(@Min(1) @Max(1_000_000) int size) {
	}

	record DoubleValue(double value, Double boxed) {
	}

	record FloatValue(float value) {
	}

	record LongValue(long value) {
	}

	record DecimalValue(java.math.BigDecimal value, java.math.BigInteger integer) {
	}

	record Blast(@Min(1) @Max(1_000_000) int count, @Min(0) @Max(10_000) int size, @Min(0) int pauseEvery) {
	}

	@Bean
	ChannelDefinition<?> binaryChannel() {
		return ChannelDefinition.builder("binary", "/binary").auth(false).onBinary((data, context) -> {
			byte[] reversed = new byte[data.remaining()];
			for (int i = reversed.length - 1; i >= 0; i--) {
				reversed[i] = data.get();
			}
			return ByteBuffer.wrap(reversed);
		}).build();
	}

	@Bean
	ChannelDefinition<?> securedChannel() {
		return ChannelDefinition.builder("secured", "/secured")
			.action("whoami", PikkuFunction.of(Void.class, (input, context) -> Map.of("userId", "?")))
			.build();
	}

	@Bean
	ChannelDefinition<?> refusingChannel() {
		return ChannelDefinition.builder("refusing", "/refusing").onConnect((context) -> {
			throw PikkuException.forbidden("Not today");
		}).build();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Room(@NotNull @Pattern(regexp = "[a-z0-9-]{1,32}") String room, @Size(min = 1, max = 40) String name,
			@Min(1) @Max(10) Integer level) {
	}

	record Text(@NotBlank @Size(max = 20) String text) {
	}

	record Sum(int a, int b) {
	}

}
