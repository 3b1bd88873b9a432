package io.pikku.sample.chat;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.sample.security.Authenticated;
import io.pikku.sample.security.Token;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code chat} channel at {@code /chat/{room}}: every connection joins the room's
 * topic; logged-in users send messages to everyone else in the room and see who is there,
 * on every instance.
 */
@Configuration(proxyBeanMethods = false)
public class ChatChannelConfiguration {

	@Bean
	ChannelDefinition<ChatRoom> chatChannel(EventHub eventHub, PikkuFunction<Token, Authenticated> authenticate) {
		return ChannelDefinition.builder("chat", "/chat/{room}")
			.openingData(ChatRoom.class)
			.onConnect(Welcome.class, (context) -> eventHub
				.subscribe(topic(context.channel().openingData()), context.channel().channelId())
				.thenApply((subscribed) -> new Welcome("Welcome to " + context.channel().openingData().room() + "!")))
			.action("authenticate", authenticate)
			.action("sendMessage", sendMessage(eventHub))
			.action("who", who(eventHub))
			.action("logout", logout())
			.publishes("room:{room}", Delivered.class)
			.tags("chat")
			.summary("Rooms with live messages and presence")
			.build();
	}

	static String topic(ChatRoom room) {
		return "room:" + room.room();
	}

	private static PikkuFunction<Message, CompletionStage<Sent>> sendMessage(EventHub eventHub) {
		return PikkuFunction.builder(Message.class)
			.summary("Sends a message to everyone else in the room")
			.returns(Sent.class)
			.handler((input, context) -> {
				String userId = context.requireSession().userId();
				long timestamp = System.currentTimeMillis();
				ChatRoom room = context.channel().openingData(ChatRoom.class);
				return eventHub
					.publish(topic(room), context.channel().channelId(),
							new Delivered("message", input.message(), userId, timestamp))
					.thenApply((published) -> new Sent(input.message(), userId, timestamp));
			})
			.build();
	}

	private static PikkuFunction<Void, CompletionStage<Users>> who(EventHub eventHub) {
		return PikkuFunction.builder(Void.class)
			.summary("Lists the users in the room, on every instance")
			.returns(Users.class)
			.handler((input, context) -> eventHub.subscribers(topic(context.channel().openingData(ChatRoom.class)))
				.thenApply((subscribers) -> new Users(subscribers.stream()
					.map(TopicSubscriber::userId)
					.filter(Objects::nonNull)
					.distinct()
					.sorted()
					.toList())))
			.build();
	}

	private static PikkuFunction<Void, LoggedOut> logout() {
		return PikkuFunction.builder(Void.class)
			.summary("Logs this connection out")
			.returns(LoggedOut.class)
			.handler((input, context) -> {
				context.clearSession();
				return new LoggedOut(true);
			})
			.build();
	}

	/**
	 * The opening data of a chat connection.
	 *
	 * @param room the room, from the path
	 * @param name an optional display name, from the query
	 */
	public record ChatRoom(@NotNull @Pattern(regexp = "[a-z0-9-]{1,32}") String room,
			@Size(min = 1, max = 40) String name) {
	}

	/**
	 * The first message of a connection.
	 *
	 * @param welcome the greeting
	 */
	public record Welcome(String welcome) {
	}

	/**
	 * The input of {@code sendMessage}.
	 *
	 * @param message 1 to 2,000 characters
	 */
	public record Message(@NotNull @Size(min = 1, max = 2000) String message) {
	}

	/**
	 * The reply to {@code sendMessage}.
	 *
	 * @param message the message
	 * @param userId the sender
	 * @param timestamp when it was sent, in epoch milliseconds
	 */
	public record Sent(String message, String userId, long timestamp) {
	}

	/**
	 * What the others in the room receive.
	 *
	 * @param type always {@code message}
	 * @param message the message
	 * @param userId the sender
	 * @param timestamp when it was sent, in epoch milliseconds
	 */
	public record Delivered(String type, String message, String userId, long timestamp) {
	}

	/**
	 * The reply to {@code who}.
	 *
	 * @param users the sorted distinct ids of the users in the room
	 */
	public record Users(List<String> users) {
	}

	/**
	 * The reply to {@code logout}.
	 *
	 * @param loggedOut always true
	 */
	public record LoggedOut(boolean loggedOut) {
	}

}
