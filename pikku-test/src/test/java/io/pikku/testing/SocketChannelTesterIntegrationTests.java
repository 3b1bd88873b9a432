package io.pikku.testing;

import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.client.PikkuHandshakeException;
import io.pikku.eventhub.EventHub;
import io.pikku.test.EnableAutoConfigurationWithoutWebSecurity;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link ChannelTester} a {@code @SpringBootTest} with a random port gets: over real
 * sockets, to the server's port under its context path (servlet stack; the reactive one
 * in {@link ReactiveSocketChannelTesterIntegrationTests}).
 */
@SpringBootTest(classes = SocketChannelTesterIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.servlet.context-path=/app", "spring.webflux.base-path=/app" })
class SocketChannelTesterIntegrationTests {

	@Autowired
	ChannelTester tester;

	@Test
	void theTesterFindsTheServerUnderItsContextPath() {
		ChannelTester.Connection room = this.tester.connect("/rooms/lobby?name=Ann");
		room.nextMessage().path("$.welcome").isEqualTo("lobby");
		room.action("echo")
			.input(Map.of("text", "Hi"))
			.execute()
			.isEqualToJson("{\"action\":\"echo\",\"text\":\"Hi\"}");
	}

	@Test
	void errorsTopicsAndSilenceOverSockets() {
		ChannelTester.Connection room = this.tester.connect("/rooms/topics");
		room.nextMessage();
		room.action("whoami").execute().expectError("unauthorized");
		room.action("subscribe").input(Map.of("text", "news")).execute();
		room.action("publish").input(Map.of("text", "news")).execute();
		room.topic("news").awaitNext().path("$.n").isEqualTo(1);
		room.expectNoMessage(java.time.Duration.ofMillis(100));
	}

	@Test
	void aRefusedUpgradeThrowsWithTheStatus() {
		assertThatExceptionOfType(PikkuHandshakeException.class).isThrownBy(() -> this.tester.connect("/rooms/UP"))
			.satisfies((refused) -> assertThat(refused.getStatus()).isEqualTo(400));
	}

	@Test
	void aClosedChannelIsSeenClosed() {
		ChannelTester.Connection room = this.tester.connect("/rooms/closing");
		room.send("{\"action\":\"leave\"}");
		assertThat(room.expectClosed().code()).isEqualTo(4001);
		assertThat(room.isClosed()).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfigurationWithoutWebSecurity
	static class TestApplication {

		@Bean
		ChannelDefinition<RoomChannel.Room> roomChannel(EventHub eventHub) {
			return RoomChannel.definition(eventHub);
		}

	}

}
