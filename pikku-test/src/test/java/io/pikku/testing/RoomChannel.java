package io.pikku.testing;

import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.eventhub.EventHub;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * A channel for the tester's own tests: a welcome, echo, validation, errors, an in-band
 * login, topics and a default handler.
 */
final class RoomChannel {

	private RoomChannel() {
	}

	static ChannelDefinition<Room> definition(EventHub eventHub) {
		return ChannelDefinition.builder("rooms", "/rooms/{room}")
			.openingData(Room.class)
			.onConnect((context) -> Map.of("welcome", context.channel().openingData().room()))
			.action("echo", PikkuFunction.builder(Text.class).auth(false).handler((input, context) -> input).build())
			.action("login", PikkuFunction.builder(Text.class).auth(false).handler((input, context) -> {
				context.setSession(PikkuSession.of(input.text()));
				return Map.of("userId", input.text());
			}).build())
			.action("whoami",
					PikkuFunction.of(Void.class,
							(input, context) -> Map.of("userId", context.requireSession().userId())))
			.action("subscribe",
					PikkuFunction.builder(Text.class)
						.auth(false)
						.handler((input, context) -> eventHub.subscribe(input.text(), context.channel().channelId())
							.thenApply((done) -> Map.of("subscribed", input.text())))
						.build())
			.action("publish",
					PikkuFunction.builder(Text.class)
						.auth(false)
						.handler((input, context) -> eventHub.publish(input.text(), null, Map.of("n", 1))
							.thenApply((done) -> Map.of("published", true)))
						.build())
			.action("fail", PikkuFunction.builder(Text.class).auth(false).handler((input, context) -> {
				throw new PikkuException("quota_exceeded", "Quota exceeded", Map.of("limit", 3));
			}).build())
			.action("leave", PikkuFunction.builder(Void.class).auth(false).handler((input, context) -> {
				context.channel().close(4001, "bye");
				return Map.of("leaving", true);
			}).build())
			.onMessage(PikkuFunction.builder(JsonNode.class).auth(false).handler((frame, context) -> frame).build())
			.build();
	}

	record Room(@Pattern(regexp = "[a-z]{1,10}") String room, @Size(max = 5) String name) {
	}

	record Text(@NotBlank @Size(max = 20) String text) {
	}

}
