package io.pikku.gateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ConnectionGateway;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.gateway.app.GatewayTestApplication;
import io.pikku.test.TestRedis;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stateless runtime keeps nothing about a connection in the JVM: runtimes that share
 * only Redis (and the gateway that holds the sockets) take turns answering one
 * connection's events, one of them restarted in between.
 */
class StatelessRuntimeTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

	static TestRedis redis;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "stateless-" + UUID.randomUUID() + ":";

	private final RecordingGateway gateway = new RecordingGateway();

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
		RedisGatewayEventHubTests.redis = redis;
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	/**
	 * A new runtime, as a new JVM would build it: its own clients, nothing shared but
	 * Redis.
	 */
	private StatelessChannelRuntime runtime() {
		RedisStatelessChannelStore store = new RedisStatelessChannelStore(
				RedisGatewayEventHubTests.template(this.resources), json, this.prefix, Duration.ofHours(2));
		RedisGatewayEventHub hub = new RedisGatewayEventHub(RedisGatewayEventHubTests.template(this.resources), json,
				store, this.prefix, Duration.ofHours(2));
		GatewayTestApplication channels = new GatewayTestApplication();
		return ChannelRuntime.builder(List.of(channels.roomChannel(hub), channels.loudChannel(hub)), json)
			.validator(validator)
			.channelStore(store)
			.eventHub(hub)
			.buildStateless(this.gateway);
	}

	private static String message(StatelessChannelRuntime runtime, String id, String text) {
		return join(runtime.message(id, text, true)).orElse(null);
	}

	@Test
	void runtimesThatShareOnlyTheStoreTakeTurnsAndOneRestartsMidConversation() {
		StatelessChannelRuntime a = runtime();
		StatelessChannelRuntime b = runtime();
		String id = "room:conn-1=";
		Object openingData = json.convertValue(Map.of("name", "ann"), GatewayTestApplication.Room.class);
		assertThat(join(a.connect(id, "room", openingData, null))).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.gateway.posted(id).size() == 1);
		assertThat(this.gateway.posted(id)).containsExactly("{\"welcome\":\"ann\"}");
		assertThat(message(b, id, "{\"action\":\"count\"}")).isEqualTo("{\"action\":\"count\",\"count\":1}");
		assertThat(message(a, id, "{\"action\":\"count\"}")).isEqualTo("{\"action\":\"count\",\"count\":2}");
		assertThat(message(b, id, "{\"action\":\"login\",\"user\":\"ann\"}")).contains("\"userId\":\"ann\"");
		b = runtime();
		assertThat(message(b, id, "{\"action\":\"count\"}")).isEqualTo("{\"action\":\"count\",\"count\":3}");
		assertThat(message(a, id, "{\"action\":\"whoami\"}")).isEqualTo("{\"action\":\"whoami\",\"userId\":\"ann\"}");
		assertThat(message(b, id, "{\"action\":\"subscribe\",\"topic\":\"news\"}")).contains("\"subscribed\"");
		StatelessChannelRuntime c = runtime();
		join(c.eventHub().publish("news", null, Map.of("n", 1)));
		join(c.settled());
		assertThat(this.gateway.posted(id)).endsWith("{\"topic\":\"news\",\"n\":1}");
		join(c.sendToUser("ann", Map.of("hello", "ann")));
		assertThat(this.gateway.posted(id)).endsWith("{\"hello\":\"ann\"}");
		join(a.disconnect(id));
		join(b.disconnect(id));
		assertThat(join(c.channelStore().get(id))).isEmpty();
		assertThat(join(c.channelStore().channelsOfUser("ann"))).isEmpty();
		assertThat(join(c.eventHub().subscribers("news"))).isEmpty();
		assertThat(join(c.eventHub().subscribers("lobby"))).isEmpty();
	}

	@Test
	void concurrentEventsOfOneConnectionOnTwoRuntimesLoseNoStateWrite() {
		StatelessChannelRuntime a = runtime();
		StatelessChannelRuntime b = runtime();
		String id = "room:conn-2=";
		join(a.connect(id, "room", json.convertValue(Map.of("name", "bo"), GatewayTestApplication.Room.class), null));
		List<CompletableFuture<Optional<String>>> events = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			events.add(((i % 2 == 0) ? a : b).message(id, "{\"action\":\"count\"}", true).toCompletableFuture());
		}
		join(CompletableFuture.allOf(events.toArray(CompletableFuture[]::new)));
		assertThat(events).extracting((event) -> json.readTree(event.join().orElseThrow()).path("count").asInt())
			.containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
		assertThat(message(b, id, "{\"action\":\"count\"}")).isEqualTo("{\"action\":\"count\",\"count\":21}");
	}

	@Test
	void aMessageFromAConnectionTheStoreDoesNotKnowClosesIt() {
		StatelessChannelRuntime a = runtime();
		assertThat(join(a.message("room:unknown=", "{\"action\":\"count\"}", true))).isEmpty();
		assertThat(this.gateway.closed).contains("room:unknown=");
		join(a.disconnect("room:unknown="));
	}

	@Test
	void repliesArePostedWhenTheRouteResponseIsOff() {
		StatelessChannelRuntime a = runtime();
		String id = "room:conn-3=";
		join(a.connect(id, "room", json.convertValue(Map.of("name", "cy"), GatewayTestApplication.Room.class), null));
		assertThat(join(a.message(id, "{\"action\":\"echo\",\"text\":\"hi\"}", false))).isEmpty();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.gateway.posted(id).contains("{\"action\":\"echo\",\"text\":\"hi\"}"));
	}

	@Test
	void aGoneSubscriberIsForgottenEverywhereOnTheNextPublish() {
		StatelessChannelRuntime a = runtime();
		String id = "room:conn-4=";
		join(a.connect(id, "room", json.convertValue(Map.of("name", "di"), GatewayTestApplication.Room.class), null));
		message(a, id, "{\"action\":\"login\",\"user\":\"di\"}");
		message(a, id, "{\"action\":\"subscribe\",\"topic\":\"t1\"}");
		this.gateway.gone.add(id);
		StatelessChannelRuntime b = runtime();
		join(b.eventHub().publish("t1", null, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(10)).until(() -> join(b.channelStore().get(id)).isEmpty());
		await().atMost(Duration.ofSeconds(10)).until(() -> join(b.eventHub().subscribers("lobby")).isEmpty());
		assertThat(join(b.eventHub().subscribers("t1"))).isEmpty();
		assertThat(join(b.channelStore().channelsOfUser("di"))).isEmpty();
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(15, TimeUnit.SECONDS).join();
	}

	/**
	 * The gateway: it holds the sockets, so it is what the runtimes share besides Redis.
	 */
	static final class RecordingGateway implements ConnectionGateway {

		final Map<String, List<String>> posts = new ConcurrentHashMap<>();

		final Set<String> gone = ConcurrentHashMap.newKeySet();

		final List<String> closed = new CopyOnWriteArrayList<>();

		List<String> posted(String id) {
			return this.posts.getOrDefault(id, List.of());
		}

		@Override
		public CompletionStage<Void> post(String channelId, String text) {
			if (this.gone.contains(channelId)) {
				return CompletableFuture.failedFuture(new GoneException(channelId));
			}
			this.posts.computeIfAbsent(channelId, (id) -> new CopyOnWriteArrayList<>()).add(text);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletionStage<Void> close(String channelId) {
			this.closed.add(channelId);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletionStage<Optional<Info>> info(String channelId) {
			return CompletableFuture.completedFuture(Optional.empty());
		}

	}

}
