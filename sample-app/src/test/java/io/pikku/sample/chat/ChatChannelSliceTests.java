package io.pikku.sample.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuSession;
import io.pikku.client.PikkuHandshakeException;
import io.pikku.sample.chat.ChatChannelConfiguration.Delivered;
import io.pikku.sample.chat.ChatChannelConfiguration.Message;
import io.pikku.sample.security.AuthenticateFunction;
import io.pikku.sample.security.TokenService;
import io.pikku.security.AuthenticationSession;
import io.pikku.testing.ChannelTester;
import io.pikku.testing.autoconfigure.PikkuChannelTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;

/**
 * The {@code chat} channel alone, in-process: no server, no socket, no security filter
 * chain; sessions are set directly and tokens come from a mock.
 */
@PikkuChannelTest({ ChatChannelConfiguration.class, AuthenticateFunction.class })
class ChatChannelSliceTests {

	@Autowired
	ChannelTester tester;

	@Autowired
	ApplicationContext context;

	@MockitoBean
	TokenService tokens;

	@Test
	void startsTheChatChannelAloneWithoutAServer() {
		assertThat(this.context).isNotInstanceOf(WebServerApplicationContext.class);
		assertThat(this.context.getBeanNamesForType(io.pikku.channel.ChannelDefinition.class))
			.containsExactly("chatChannel");
	}

	@Test
	void sendMessageAnswersTheSenderAndDeliversToTheRestOfTheRoom() {
		ChannelTester.Connection alice = join("general", "alice");
		ChannelTester.Connection bob = join("general", "bob");
		alice.action("sendMessage")
			.input(new Message("Hi"))
			.execute()
			.path("$.message")
			.isEqualTo("Hi")
			.path("$.userId")
			.isEqualTo("alice");
		bob.topic("room:general")
			.awaitNext()
			.entity(Delivered.class)
			.satisfies((delivered) -> assertThat(delivered.type()).isEqualTo("message"))
			.satisfies((delivered) -> assertThat(delivered.message()).isEqualTo("Hi"))
			.satisfies((delivered) -> assertThat(delivered.userId()).isEqualTo("alice"));
		alice.expectNoMessage(Duration.ofMillis(100));
	}

	@Test
	void whoListsTheUsersOfTheRoom() {
		join("presence", "bob");
		ChannelTester.Connection alice = join("presence", "alice");
		join("elsewhere", "admin");
		assertThat(alice.action("who").execute().path("$.users").entityList(String.class).get())
			.isEqualTo(List.of("alice", "bob"));
	}

	@Test
	void authenticateTakesTheSessionFromTheToken() {
		given(this.tokens.authenticate("good"))
			.willReturn(AuthenticationSession.of(new TestingAuthenticationToken("carol", null, "ROLE_USER")));
		given(this.tokens.authenticate("bad")).willThrow(PikkuException.unauthorized("Invalid token"));
		ChannelTester.Connection client = this.tester.connect("/chat/auth");
		client.nextMessage();
		client.action("sendMessage").input(new Message("Hi")).execute().expectError("unauthorized");
		client.action("authenticate").input(Map.of("token", "bad")).execute().expectError("unauthorized");
		client.action("authenticate")
			.input(Map.of("token", "good"))
			.execute()
			.isEqualToJson("{\"action\":\"authenticate\",\"authenticated\":true,\"userId\":\"carol\"}");
		client.action("sendMessage").input(new Message("Hi")).execute().path("$.userId").isEqualTo("carol");
	}

	@Test
	void logoutClearsTheSession() {
		ChannelTester.Connection alice = join("logout", "alice");
		alice.action("logout").execute().path("$.loggedOut").isEqualTo(true);
		alice.action("who").execute().expectError("unauthorized");
	}

	@Test
	void roomsOutsideThePatternAreRefused() {
		assertThatExceptionOfType(PikkuHandshakeException.class).isThrownBy(() -> this.tester.connect("/chat/Lobby"))
			.satisfies((refused) -> assertThat(refused.getStatus()).isEqualTo(400))
			.satisfies((refused) -> assertThat(refused.getBody()).contains("validation_failed", "room"));
	}

	private ChannelTester.Connection join(String room, String user) {
		ChannelTester.Connection client = this.tester.mutate()
			.session(PikkuSession.of(user))
			.build()
			.connect("/chat/" + room);
		client.nextMessage().isEqualToJson("{\"welcome\":\"Welcome to " + room + "!\"}");
		return client;
	}

}
