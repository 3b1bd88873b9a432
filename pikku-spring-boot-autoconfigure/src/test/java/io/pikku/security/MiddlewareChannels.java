package io.pikku.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pikku.test.EnableAutoConfigurationWithoutWebSecurity;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelMiddleware;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.TagMiddleware;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Channels with wire middleware from every source (global and tag beans, channel, action,
 * function) and channel middleware (tag bean and inline), for the integration tests.
 * Security is left out: these channels are about middleware.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfigurationWithoutWebSecurity
class MiddlewareChannels {

	@Bean
	MiddlewareLog middlewareLog() {
		return new MiddlewareLog();
	}

	// Declared before the global one on purpose: @Order, not declaration order, decides.
	@Bean
	@Order(2)
	TagMiddleware auditedMiddleware(MiddlewareLog log) {
		return TagMiddleware.forTag("audited", recording("tag", log));
	}

	@Bean
	@Order(1)
	TagMiddleware globalMiddleware(MiddlewareLog log) {
		return TagMiddleware.global(recording("global", log));
	}

	@Bean
	@Order(3)
	TagMiddleware unrelatedTagMiddleware(MiddlewareLog log) {
		return TagMiddleware.forTag("unrelated", recording("unrelated", log));
	}

	@Bean
	TagMiddleware stampedChannelMiddleware() {
		return TagMiddleware.channelMiddleware("stamped", trail("tag"));
	}

	@Bean
	ChannelDefinition<Map<String, String>> onionChannel(MiddlewareLog log) {
		PikkuFunction<Void, Map<String, Boolean>> work = PikkuFunction.builder(Void.class)
			.middleware(recording("function", log))
			.handler((input, context) -> {
				log.record(context.channel().channelId(), "function");
				return Map.of("ok", true);
			})
			.build();
		PikkuMiddleware kinds = (call, next) -> {
			log.record(call.channel().channelId(),
					"kind:" + call.kind() + ((call.action() != null) ? " " + call.action() + " " + call.input() : ""));
			return next.proceed();
		};
		return ChannelDefinition.builder("onion", "/mw/onion")
			.auth(false)
			.tags("audited")
			.middleware(recording("channel", log), kinds)
			.onConnect((context) -> {
				log.record(context.channel().channelId(), "onConnect");
				return Map.of("channelId", context.channel().channelId());
			})
			.onDisconnect((context) -> log.record(context.channel().channelId(), "onDisconnect"))
			.action("call", work, (o) -> o.middleware(recording("action", log)))
			.build();
	}

	@Bean
	ChannelDefinition<Map<String, String>> tricksChannel(MiddlewareLog log) {
		PikkuFunction<Void, Object> cached = PikkuFunction.of(Void.class, (input, context) -> {
			log.record(context.channel().channelId(), "function:cached");
			return Map.of("fresh", true);
		});
		PikkuMiddleware fromCache = (call, next) -> Map.of("cached", true);
		PikkuFunction<Void, Object> answer = PikkuFunction.of(Void.class, (input, context) -> Map.of("value", 21));
		PikkuMiddleware doubling = (call, next) -> {
			Map<?, ?> result = (Map<?, ?>) next.proceed();
			return Map.of("value", (Integer) result.get("value") * 2, "changedBy", "middleware");
		};
		PikkuMiddleware guestLogin = (call, next) -> {
			if (call.session() == null) {
				call.setSession(PikkuSession.of("guest"));
			}
			return next.proceed();
		};
		PikkuFunction<Void, Object> whoami = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("userId", context.requireSession().userId()));
		PikkuFunction<Void, Object> limited = PikkuFunction.of(Void.class, (input, context) -> {
			log.record(context.channel().channelId(), "function:limited");
			return Map.of("limited", false);
		});
		PikkuMiddleware rateLimit = (call, next) -> {
			throw new PikkuException("rate_limited", "Slow down");
		};
		return ChannelDefinition.builder("tricks", "/mw/tricks")
			.onConnect((context) -> Map.of("channelId", context.channel().channelId()))
			.action("cached", cached, (o) -> o.middleware(fromCache))
			.action("doubled", answer, (o) -> o.auth(false).middleware(doubling))
			.action("asGuest", whoami, (o) -> o.middleware(guestLogin))
			.action("whoami", whoami)
			.action("limited", limited, (o) -> o.auth(false).middleware(rateLimit))
			.build();
	}

	@Bean
	ChannelDefinition<Map<String, String>> outboundChannel() {
		PikkuFunction<JsonNode, Object> echo = PikkuFunction.of(JsonNode.class, (input, context) -> input);
		PikkuFunction<Void, Object> notify = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().send(Map.of("note", "first"));
			return Map.of("sent", true);
		});
		PikkuFunction<Void, Object> whisper = PikkuFunction.of(Void.class, (input, context) -> {
			context.channel().send(Map.of("secret", "s3cret"));
			return Map.of("sent", true);
		});
		PikkuFunction<Void, Object> silent = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("secret", "in the reply"));
		PikkuFunction<Void, Object> split = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("split", List.of(1, 2, 3)));
		PikkuFunction<Void, Object> fail = PikkuFunction.of(Void.class, (input, context) -> {
			throw PikkuException.notFound("Nothing here");
		});
		ChannelMiddleware dropSecrets = (message, context, next) -> next.send(message.has("secret") ? null : message);
		ChannelMiddleware fanOut = (message, context, next) -> {
			JsonNode parts = message.get("split");
			if (parts == null) {
				next.send(message);
				return;
			}
			List<Object> messages = new ArrayList<>();
			parts.forEach((part) -> messages.add(Map.of("part", part.intValue())));
			next.send(messages);
		};
		return ChannelDefinition.builder("outbound", "/mw/outbound")
			.auth(false)
			.tags("stamped")
			.channelMiddleware(trail("inline"), dropSecrets, fanOut)
			.onConnect((context) -> Map.of("welcome", true))
			.action("echo", echo)
			.action("notify", notify)
			.action("whisper", whisper)
			.action("silent", silent)
			.action("split", split)
			.action("fail", fail)
			.build();
	}

	/** Records "before:name" and "after:name" around the rest of the chain. */
	static PikkuMiddleware recording(String name, MiddlewareLog log) {
		return (call, next) -> {
			log.record(call.channel().channelId(), "before:" + name);
			try {
				return next.proceed();
			}
			finally {
				log.record(call.channel().channelId(), "after:" + name);
			}
		};
	}

	/** Appends its name to the {@code trail} array of every outbound object. */
	static ChannelMiddleware trail(String name) {
		return (message, context, next) -> {
			if (message instanceof ObjectNode object) {
				object.withArrayProperty("trail").add(name);
			}
			next.send(message);
		};
	}

	/** What middleware and handlers did, per connection. */
	static final class MiddlewareLog {

		private final Map<String, List<String>> entries = new ConcurrentHashMap<>();

		void record(String channelId, String entry) {
			this.entries.computeIfAbsent(channelId, (id) -> new CopyOnWriteArrayList<>()).add(entry);
		}

		List<String> entries(String channelId) {
			return List.copyOf(this.entries.getOrDefault(channelId, List.of()));
		}

	}

}
