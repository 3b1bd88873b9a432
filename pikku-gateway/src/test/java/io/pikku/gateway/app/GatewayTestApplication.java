package io.pikku.gateway.app;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.eventhub.EventHub;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with two channels, run behind the gateway emulator in tests.
 */
@SpringBootApplication
public class GatewayTestApplication {

	@Bean
	public ChannelDefinition<Room> roomChannel(EventHub eventHub) {
		return ChannelDefinition.builder("room", "/room").openingData(Room.class).auth(false).onConnect((context) -> {
			if ("refuse".equals(context.channel().openingData().name())) {
				throw PikkuException.forbidden("Not this name");
			}
			return eventHub.subscribe("lobby", context.channel().channelId())
				.thenApply((ignored) -> Map.of("welcome", context.channel().openingData().name()));
		})
			.action("echo", PikkuFunction.builder(Text.class).auth(false).handler((input, context) -> input).build())
			.action("count", PikkuFunction.builder(Void.class).auth(false).handler((input, context) -> {
				Counter counter = context.channel().getState(Counter.class);
				Counter next = new Counter((counter != null) ? counter.count() + 1 : 1);
				context.channel().setState(next);
				return next;
			}).build())
			.action("login", PikkuFunction.builder(Login.class).auth(false).handler((input, context) -> {
				context.setSession(PikkuSession.of(input.user()));
				return Map.of("userId", input.user());
			}).build())
			.action("whoami",
					PikkuFunction.builder(Void.class)
						.auth(true)
						.handler((input, context) -> Map.of("userId", context.requireSession().userId()))
						.build())
			.action("subscribe", subscribe(eventHub))
			.action("publish", PikkuFunction.builder(Publication.class).auth(false).handler((input, context) -> {
				context.channel().send(Map.of("before", "reply"));
				return eventHub.publish(input.topic(), null, input.payload())
					.thenApply((ignored) -> Map.of("published", true));
			}).build())
			.action("big",
					PikkuFunction.builder(Void.class)
						.auth(false)
						.handler((input, context) -> Map.of("text", "x".repeat(200 * 1024)))
						.build())
			.action("bye", PikkuFunction.builder(Void.class).auth(false).handler((input, context) -> {
				context.channel().close();
				return null;
			}).build())
			.build();
	}

	@Bean
	public ChannelDefinition<Map<String, String>> loudChannel(EventHub eventHub) {
		return ChannelDefinition.builder("loud", "/loud").auth(false).channelMiddleware((message, context, next) -> {
			if (message instanceof ObjectNode object) {
				object.put("loud", true);
			}
			next.send(message);
		}).action("subscribe", subscribe(eventHub)).build();
	}

	private static PikkuFunction<Topic, ?> subscribe(EventHub eventHub) {
		return PikkuFunction.builder(Topic.class)
			.auth(false)
			.handler((input, context) -> eventHub.subscribe(input.topic(), context.channel().channelId())
				.thenApply((ignored) -> Map.of("subscribed", input.topic())))
			.build();
	}

	/**
	 * The gateway's integrations are open at the HTTP level (they carry the shared
	 * secret; each channel does its own auth); so is the test's publish endpoint. Only in
	 * a web application: as a Lambda, the application is not one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class WebSecurity {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/pikku/gateway/**", "/publish", "/error")
				.permitAll()
				.anyRequest()
				.authenticated()).csrf((csrf) -> csrf.ignoringRequestMatchers("/pikku/gateway/**", "/publish"));
			return http.build();
		}

	}

	/** Publishes from outside any channel. */
	@RestController
	static class PublishController {

		private final EventHub eventHub;

		PublishController(EventHub eventHub) {
			this.eventHub = eventHub;
		}

		@PostMapping("/publish")
		CompletionStage<String> publish(@RequestParam String topic, @RequestBody JsonNode payload) {
			return this.eventHub.publish(topic, null, payload).thenApply((ignored) -> "ok");
		}

	}

	public record Room(@NotBlank @Size(max = 20) String name) {
	}

	public record Text(@NotBlank String text) {
	}

	public record Counter(int count) {
	}

	public record Login(@NotBlank String user) {
	}

	public record Topic(@NotBlank String topic) {
	}

	public record Publication(@NotBlank String topic, JsonNode payload) {
	}

}
