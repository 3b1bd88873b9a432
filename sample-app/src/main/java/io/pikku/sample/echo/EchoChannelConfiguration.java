package io.pikku.sample.echo;

import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.TopicDefinition;
import io.pikku.eventhub.EventHub;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code echo} channel at {@code /echo}: no authentication, an {@code echo} action, a
 * playground for topics, and a default handler that answers any frame without an action
 * unchanged.
 *
 * <p>
 * Its clients name their topics, so those topics are the echo channel's own
 * ({@link EventHub#scope(String)}): whatever name a client sends ({@code room:general},
 * {@code todos:updated}, {@code pikku:users}), it reaches only the echo channel's
 * subscribers of that name, never another channel's topics or the runtime.
 */
@Configuration(proxyBeanMethods = false)
public class EchoChannelConfiguration {

	/** The scope of the topics that echo clients name. */
	public static final String TOPIC_SCOPE = "echo";

	@Bean
	PikkuFunction<EchoText, EchoText> echoFunction() {
		return PikkuFunction.builder(EchoText.class)
			.summary("Answers the text it is sent")
			.tags("echo")
			.nonBlocking()
			.handler((input, context) -> input)
			.build();
	}

	@Bean
	PikkuFunction<JsonNode, JsonNode> echoFrameFunction() {
		return PikkuFunction.builder(JsonNode.class)
			.summary("Answers a frame without an action unchanged")
			.nonBlocking()
			.handler((frame, context) -> frame)
			.build();
	}

	@Bean
	ChannelDefinition<?> echoChannel(PikkuFunction<EchoText, EchoText> echoFunction,
			PikkuFunction<JsonNode, JsonNode> echoFrameFunction, EventHub eventHub) {
		EventHub topics = eventHub.scope(TOPIC_SCOPE);
		return ChannelDefinition.builder("echo", "/echo")
			.auth(false)
			.action("echo", echoFunction)
			.action("subscribe", subscribe(topics))
			.action("unsubscribe", unsubscribe(topics))
			.action("publish", publish(topics))
			.onMessage(echoFrameFunction)
			.publishes(TopicDefinition.builder("{topic}", JsonNode.class)
				.summary("What a client published to a topic this connection subscribed to")
				.variable("topic", "the topic named in subscribe and publish")
				.build())
			.tags("echo")
			.summary("Echoes text and frames")
			.build();
	}

	private static PikkuFunction<Topic, CompletionStage<Subscribed>> subscribe(EventHub eventHub) {
		return PikkuFunction.builder(Topic.class)
			.summary("Subscribes this connection to a topic")
			.returns(Subscribed.class)
			.errors(ChannelErrorCodes.LIMIT_EXCEEDED)
			.handler((input, context) -> eventHub.subscribe(input.topic(), context.channel().channelId())
				.thenApply((done) -> new Subscribed(true, input.topic())))
			.build();
	}

	private static PikkuFunction<Topic, CompletionStage<Unsubscribed>> unsubscribe(EventHub eventHub) {
		return PikkuFunction.builder(Topic.class)
			.summary("Unsubscribes this connection from a topic")
			.returns(Unsubscribed.class)
			.handler((input, context) -> eventHub.unsubscribe(input.topic(), context.channel().channelId())
				.thenApply((done) -> new Unsubscribed(true, input.topic())))
			.build();
	}

	private static PikkuFunction<Publication, CompletionStage<Published>> publish(EventHub eventHub) {
		return PikkuFunction.builder(Publication.class)
			.summary("Publishes a payload to every subscriber of a topic, the sender too")
			.returns(Published.class)
			.nonBlocking()
			.handler((input, context) -> eventHub.publish(input.topic(), null, input.payload())
				.thenApply((done) -> new Published(true)))
			.build();
	}

	/**
	 * A topic to subscribe to or unsubscribe from.
	 *
	 * @param topic 1 to 200 characters
	 */
	public record Topic(@NotNull @Size(min = 1, max = 200) String topic) {
	}

	/**
	 * A payload to publish.
	 *
	 * @param topic 1 to 200 characters
	 * @param payload any JSON
	 */
	public record Publication(@NotNull @Size(min = 1, max = 200) String topic, @NotNull JsonNode payload) {
	}

	/**
	 * The reply to {@code subscribe}.
	 *
	 * @param subscribed always true
	 * @param topic the topic
	 */
	public record Subscribed(boolean subscribed, String topic) {
	}

	/**
	 * The reply to {@code unsubscribe}.
	 *
	 * @param unsubscribed always true
	 * @param topic the topic
	 */
	public record Unsubscribed(boolean unsubscribed, String topic) {
	}

	/**
	 * The reply to {@code publish}.
	 *
	 * @param published always true
	 */
	public record Published(boolean published) {
	}

	/**
	 * The input and output of the {@code echo} action.
	 *
	 * @param text 1 to 10,000 characters
	 */
	public record EchoText(@NotNull @Size(min = 1, max = 10000) String text) {
	}

}
