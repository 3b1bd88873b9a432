package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.store.redis.RedisChannelStore;
import io.pikku.test.TestRedis;
import io.pikku.test.WebSocketTestClient;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real Spring Boot applications sharing one real Redis server, one on each web stack
 * (A on servlet/Tomcat, B on WebFlux/Reactor Netty): what a client on one instance
 * publishes reaches the clients on the other, and presence spans both.
 */
class MultiInstanceIntegrationTests {

	private static final Duration QUIET = Duration.ofMillis(700);

	private static final AtomicInteger rooms = new AtomicInteger();

	private static TestRedis redis;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	@BeforeAll
	static void startInstances() {
		redis = TestRedis.start();
		instanceA = startInstance(WebApplicationType.SERVLET);
		instanceB = startInstance(WebApplicationType.REACTIVE);
	}

	private static ConfigurableApplicationContext startInstance(WebApplicationType stack) {
		return new SpringApplicationBuilder(TestApp.class).web(stack)
			.properties("server.port=0", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "pikku.instance-ttl=3s",
					"spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
			.run();
	}

	@AfterAll
	static void stopInstances() {
		if (instanceA != null) {
			instanceA.close();
		}
		if (instanceB != null) {
			instanceB.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(WebSocketTestClient::close);
	}

	private static String newRoom() {
		return "room-" + rooms.incrementAndGet();
	}

	private static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

	private WebSocketTestClient join(ConfigurableApplicationContext instance, String room, String user) {
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + port(instance) + "/room/" + room);
		this.clients.add(client);
		assertThat(client.receive().toString()).isEqualTo("{\"joined\":\"" + room + "\"}");
		assertThat(client.call("{\"action\":\"login\",\"user\":\"" + user + "\"}").toString())
			.isEqualTo("{\"action\":\"login\",\"user\":\"" + user + "\"}");
		return client;
	}

	private static void say(WebSocketTestClient client, String text) {
		assertThat(client.call("{\"action\":\"say\",\"text\":\"" + text + "\"}").toString())
			.isEqualTo("{\"action\":\"say\",\"sent\":true}");
	}

	private static List<String> who(WebSocketTestClient client) {
		JsonNode reply = client.call("{\"action\":\"who\"}");
		assertThat(reply.path("action").stringValue()).as(reply.toString()).isEqualTo("who");
		List<String> users = new ArrayList<>();
		reply.path("users").forEach((user) -> users.add(user.stringValue()));
		return users;
	}

	@Test
	void bothInstancesUseTheRedisEventHubAndChannelStore() {
		for (ConfigurableApplicationContext instance : List.of(instanceA, instanceB)) {
			ChannelRuntime runtime = instance.getBean(ChannelRuntime.class);
			assertThat(runtime.eventHub()).isInstanceOf(RedisEventHub.class);
			assertThat(runtime.channelStore()).isInstanceOf(RedisChannelStore.class);
		}
		assertThat(port(instanceA)).isNotEqualTo(port(instanceB));
	}

	@Test
	void messageSaidOnOneInstanceReachesTheRoomOnTheOtherButNotTheSender() throws InterruptedException {
		String room = newRoom();
		WebSocketTestClient alice = join(instanceA, room, "alice");
		WebSocketTestClient erin = join(instanceA, room, "erin");
		WebSocketTestClient bob = join(instanceB, room, "bob");
		WebSocketTestClient carol = join(instanceB, room, "carol");
		say(alice, "hi");
		String expected = "{\"topic\":\"room:" + room + "\",\"from\":\"alice\",\"text\":\"hi\"}";
		assertThat(bob.receive().toString()).isEqualTo(expected);
		assertThat(carol.receive().toString()).isEqualTo(expected);
		assertThat(erin.receive().toString()).isEqualTo(expected);
		alice.assertNoMessage(QUIET);
		bob.assertNoMessage(Duration.ofMillis(100));
		carol.assertNoMessage(Duration.ofMillis(100));
		erin.assertNoMessage(Duration.ofMillis(100));
	}

	@Test
	void messageSaidOnTheSecondInstanceReachesTheFirst() throws InterruptedException {
		String room = newRoom();
		WebSocketTestClient alice = join(instanceA, room, "alice");
		WebSocketTestClient bob = join(instanceB, room, "bob");
		say(bob, "hello from b");
		assertThat(alice.receive().toString())
			.isEqualTo("{\"topic\":\"room:" + room + "\",\"from\":\"bob\",\"text\":\"hello from b\"}");
		bob.assertNoMessage(QUIET);
		say(alice, "and back");
		assertThat(bob.receive().path("text").stringValue()).isEqualTo("and back");
		alice.assertNoMessage(QUIET);
	}

	@Test
	void messagesStayInTheirRoom() throws InterruptedException {
		String room = newRoom();
		String otherRoom = newRoom();
		WebSocketTestClient alice = join(instanceA, room, "alice");
		WebSocketTestClient bob = join(instanceB, room, "bob");
		WebSocketTestClient dave = join(instanceA, otherRoom, "dave");
		WebSocketTestClient frank = join(instanceB, otherRoom, "frank");
		say(alice, "only for this room");
		assertThat(bob.receive().path("text").stringValue()).isEqualTo("only for this room");
		say(bob, "still only here");
		assertThat(alice.receive().path("text").stringValue()).isEqualTo("still only here");
		dave.assertNoMessage(QUIET);
		frank.assertNoMessage(QUIET);
		assertThat(who(dave)).containsExactly("dave", "frank");
	}

	@Test
	void whoListsTheUsersOfTheRoomOnBothInstances() {
		String room = newRoom();
		WebSocketTestClient alice = join(instanceA, room, "alice");
		join(instanceB, room, "bob");
		join(instanceB, room, "carol");
		join(instanceA, newRoom(), "mallory");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(who(alice)).containsExactly("alice", "bob", "carol"));
	}

	@Test
	void applicationCodeReachesAndClosesEveryConnectionOfAUserOnEveryInstance() throws InterruptedException {
		String room = newRoom();
		String user = "dave-" + room;
		WebSocketTestClient onA = join(instanceA, room, user);
		WebSocketTestClient onB = join(instanceB, newRoom(), user);
		WebSocketTestClient other = join(instanceB, room, "erin-" + room);
		ChannelRuntime runtimeA = instanceA.getBean(ChannelRuntime.class);
		runtimeA.sendToUser(user, java.util.Map.of("notice", "password changed")).toCompletableFuture().join();
		assertThat(onA.receive().toString()).isEqualTo("{\"notice\":\"password changed\"}");
		assertThat(onB.receive().toString()).isEqualTo("{\"notice\":\"password changed\"}");
		runtimeA.closeUser(user, 4001, "Signed out everywhere").toCompletableFuture().join();
		assertThat(onA.awaitClose()).isEqualTo(new WebSocketTestClient.Closed(4001, "Signed out everywhere"));
		assertThat(onB.awaitClose()).isEqualTo(new WebSocketTestClient.Closed(4001, "Signed out everywhere"));
		other.assertNoMessage(QUIET);
		assertThat(other.isClosed()).isFalse();
	}

	@Test
	void whoNoLongerListsAClientThatLeftTheOtherInstance() {
		String room = newRoom();
		WebSocketTestClient alice = join(instanceA, room, "alice");
		WebSocketTestClient bob = join(instanceB, room, "bob");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(who(alice)).containsExactly("alice", "bob"));
		bob.close();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(who(alice)).containsExactly("alice"));
	}

	@Test
	void invalidInputIsRejectedWithoutPublishing() throws InterruptedException {
		String room = newRoom();
		WebSocketTestClient alice = join(instanceA, room, "alice");
		WebSocketTestClient bob = join(instanceB, room, "bob");
		JsonNode reply = alice.call("{\"action\":\"say\",\"text\":\"\"}");
		assertThat(reply.path("error").path("code").stringValue()).as(reply.toString()).isEqualTo("validation_failed");
		bob.assertNoMessage(QUIET);
	}

	/**
	 * A chat application: a room channel whose clients log in, say things to the room and
	 * ask who is in it, through the injected {@link EventHub}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApp {

		@Bean
		ChannelDefinition<Room> roomChannel(EventHub eventHub) {
			PikkuFunction<Login, Object> login = PikkuFunction.of(Login.class, (input, context) -> {
				context.setSession(PikkuSession.of(input.user()));
				return Map.of("user", input.user());
			});
			PikkuFunction<Say, Object> say = PikkuFunction.of(Say.class, (input, context) -> {
				PikkuSession session = context.session();
				ChatMessage message = new ChatMessage((session != null) ? session.userId() : "anonymous", input.text());
				String topic = topic(context.channel().openingData(Room.class));
				return eventHub.publish(topic, context.channel().channelId(), message)
					.thenApply((ignored) -> Map.of("sent", true));
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
				.action("say", say)
				.action("who", who)
				.build();
		}

		private static String topic(Room room) {
			return "room:" + room.room();
		}

	}

	record Room(@NotBlank @Pattern(regexp = "[a-z0-9-]{1,32}") String room) {
	}

	record Login(@NotBlank @Size(max = 40) String user) {
	}

	record Say(@NotBlank @Size(max = 500) String text) {
	}

	record ChatMessage(String from, String text) {
	}

}
