package io.pikku.testing.slice;

import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import jakarta.validation.constraints.NotBlank;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The channel a slice test loads; its greeting comes from a bean the test provides.
 */
@Configuration(proxyBeanMethods = false)
public class GreetingChannelConfiguration {

	@Bean
	ChannelDefinition<?> greetingChannel(Greeter greeter) {
		return ChannelDefinition.builder("greeting", "/greeting")
			.action("greet",
					PikkuFunction.of(Name.class,
							(input, context) -> Map.of("greeting", greeter.greet(input.name()), "by",
									(context.session() != null) ? context.session().userId() : "nobody")))
			.auth(false)
			.build();
	}

	/**
	 * Says hello.
	 */
	public interface Greeter {

		String greet(String name);

	}

	record Name(@NotBlank String name) {
	}

}
