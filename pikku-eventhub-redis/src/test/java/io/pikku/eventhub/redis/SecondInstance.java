package io.pikku.eventhub.redis;

import java.util.Map;
import java.util.Objects;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.TopicSubscriber;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A chat application with a {@code /room/{room}} channel (its clients join the topic
 * {@code room:<room>} on connect, {@code login} with a user name and ask {@code who} is
 * in the room on every instance), started from command-line arguments: in the test's JVM,
 * or as its own JVM by {@link #main(String[])} so that a test can kill it.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class SecondInstance {

	/**
	 * Starts the application in its own JVM, e.g. with {@code --server.port=8081
	 * --spring.data.redis.port=6379 --pikku.instance-ttl=3s}.
	 * @param args the command-line arguments
	 */
	public static void main(String[] args) {
		run(args);
	}

	/**
	 * Starts the application in this JVM.
	 * @param args the command-line arguments
	 * @return the running application
	 */
	static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(SecondInstance.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		return application.run(args);
	}

	@Bean
	ChannelDefinition<Room> roomChannel(EventHub eventHub) {
		PikkuFunction<Login, Object> login = PikkuFunction.of(Login.class, (input, context) -> {
			context.setSession(PikkuSession.of(input.user()));
			return Map.of("user", input.user());
		});
		PikkuFunction<Void, Object> who = PikkuFunction.of(Void.class,
				(input, context) -> eventHub.subscribers(topic(context.channel().openingData(Room.class)))
					.thenApply((subscribers) -> Map.of("users",
							subscribers.stream()
								.map(TopicSubscriber::userId)
								.filter(Objects::nonNull)
								.distinct()
								.sorted()
								.toList())));
		return ChannelDefinition.builder("room", "/room/{room}")
			.openingData(Room.class)
			.auth(false)
			.onConnect((context) -> {
				Room room = context.channel().openingData();
				return eventHub.subscribe(topic(room), context.channel().channelId())
					.thenApply((ignored) -> Map.of("joined", room.room()));
			})
			.action("login", login)
			.action("who", who)
			.build();
	}

	private static String topic(Room room) {
		return "room:" + room.room();
	}

	record Room(@NotBlank @Pattern(regexp = "[a-z0-9-]{1,32}") String room) {
	}

	record Login(@NotBlank @Size(max = 40) String user) {
	}

}
