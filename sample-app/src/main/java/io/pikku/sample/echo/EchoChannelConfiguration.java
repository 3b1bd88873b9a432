package io.pikku.sample.echo;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code echo} channel at {@code /echo}: no authentication, an {@code echo} action,
 * and a default handler that answers any frame without an action unchanged.
 */
@Configuration(proxyBeanMethods = false)
public class EchoChannelConfiguration {

	@Bean
	PikkuFunction<EchoText, EchoText> echoFunction() {
		return PikkuFunction.builder(EchoText.class)
			.summary("Answers the text it is sent")
			.tags("echo")
			.handler((input, context) -> input);
	}

	@Bean
	PikkuFunction<JsonNode, JsonNode> echoFrameFunction() {
		return PikkuFunction.builder(JsonNode.class)
			.summary("Answers a frame without an action unchanged")
			.handler((frame, context) -> frame);
	}

	@Bean
	ChannelDefinition<?> echoChannel(PikkuFunction<EchoText, EchoText> echoFunction,
			PikkuFunction<JsonNode, JsonNode> echoFrameFunction) {
		return ChannelDefinition.builder("echo", "/echo")
			.auth(false)
			.action("echo", echoFunction)
			.onMessage(echoFrameFunction)
			.docs("Echoes text and frames", null, "echo")
			.build();
	}

	/**
	 * The input and output of the {@code echo} action.
	 *
	 * @param text 1 to 10,000 characters
	 */
	public record EchoText(@NotNull @Size(min = 1, max = 10000) String text) {
	}

}
