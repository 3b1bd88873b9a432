package io.pikku.apidocs;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.RateLimit;
import io.pikku.channel.TopicDefinition;
import io.pikku.channel.runtime.ChannelDescription;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ChannelSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Channels that use every feature the API description shows: opening data with
 * constraints, an onConnect reply, actions of two routing properties, object, value and
 * empty outputs, declared errors, permissions, rate limits, topics by name, by pattern
 * and free, a default handler.
 */
public final class TestChannels {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	public static final ChannelSettings SETTINGS = new ChannelSettings("action", "correlationId", false, 65536, 65536,
			new RateLimit(50, 100));

	private TestChannels() {
	}

	public static List<ChannelDescription> describe(ChannelDefinition<?>... definitions) {
		return ChannelRuntime.builder(List.of(definitions), JSON).settings(SETTINGS).build().describe();
	}

	public static ApiDescription description() {
		return ApiDescription.builder(describe(chat(), echo()), SETTINGS, JSON)
			.info(new ApiInfo("Test channels", "2.1.0", "Channels for the tests"))
			.topics(List.of(TopicDefinition.builder("announcements", Announcement.class)
				.summary("News for everyone")
				.channels("chat", "echo")
				.build()))
			.build();
	}

	static ChannelDefinition<Room> chat() {
		PikkuFunction<Token, Authenticated> authenticate = PikkuFunction.builder(Token.class)
			.auth(false)
			.summary("Logs the connection in")
			.tags("auth")
			.returns(Authenticated.class)
			.handler((input, context) -> new Authenticated(true, "alice"))
			.build();
		PikkuFunction<Message, CompletableFuture<Sent>> send = PikkuFunction.builder(Message.class)
			.summary("Sends a message")
			.description("Everyone else in the room receives it")
			.returns(Sent.class)
			.handler((input, context) -> CompletableFuture.completedFuture(new Sent(input.message(), "alice", 1, null)))
			.build();
		PikkuFunction<Void, Users> who = PikkuFunction.builder(Void.class)
			.summary("Who is in the room")
			.returns(Users.class)
			.handler((input, context) -> new Users(List.of()))
			.build();
		PikkuFunction<Sum, Integer> add = PikkuFunction.builder(Sum.class)
			.returns(Integer.class)
			.handler((input, context) -> input.a() + input.b())
			.build();
		PikkuFunction<Void, Object> stop = PikkuFunction.builder(Void.class)
			.permission("admin", (input, context) -> false)
			.returns(Void.class)
			.errors("not_found")
			.error("quota_exceeded", Quota.class)
			.handler((input, context) -> {
				throw PikkuException.notFound("Nothing to stop");
			})
			.build();
		return ChannelDefinition.builder("chat", "/chat/{room}")
			.openingData(Room.class)
			.onConnect(Welcome.class, (context) -> new Welcome("Welcome"))
			.action("authenticate", authenticate)
			.action("sendMessage", send, (o) -> o.rateLimit(1, 5))
			.action("who", who)
			.action("add", add)
			.action("command", "stop", stop)
			.publishes("room:{room}", Delivered.class)
			.tags("chat")
			.summary("Rooms")
			.description("One per room")
			.build();
	}

	static ChannelDefinition<?> echo() {
		PikkuFunction<JsonNode, JsonNode> frame = PikkuFunction.builder(JsonNode.class)
			.summary("Answers a frame unchanged")
			.handler((input, context) -> input)
			.build();
		PikkuFunction<Text, Text> echo = PikkuFunction.of(Text.class, (input, context) -> input);
		return ChannelDefinition.builder("echo", "/echo")
			.auth(false)
			.action("echo", echo)
			.onMessage(frame)
			.publishes(TopicDefinition.builder("{topic}", JsonNode.class)
				.summary("Whatever was published")
				.variable("topic", "a topic the client subscribed to")
				.build())
			.build();
	}

	/**
	 * @param room the room
	 * @param name a display name
	 */
	record Room(@NotNull @Pattern(regexp = "[a-z0-9-]{1,32}") String room, @Size(min = 1, max = 40) String name) {
	}

	record Welcome(String welcome) {
	}

	record Token(@NotBlank @Size(max = 4096) String token) {
	}

	record Authenticated(boolean authenticated, String userId) {
	}

	record Message(@NotNull @Size(min = 1, max = 2000) String message) {
	}

	record Sent(String message, String userId, long timestamp, @Nullable String editedBy) {
	}

	record Users(List<String> users) {
	}

	record Sum(@Min(0) @Max(100) int a, int b) {
	}

	record Quota(int remaining) {
	}

	record Delivered(String type, String message, String userId, long timestamp) {
	}

	record Announcement(String text) {
	}

	record Text(@NotNull @Size(min = 1, max = 10) String text) {
	}

}
