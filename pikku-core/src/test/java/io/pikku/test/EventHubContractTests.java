package io.pikku.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.ReservedTopicException;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.store.ChannelRecord;
import io.pikku.store.ChannelStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link EventHub} and {@link ChannelStore} pair keeps, on one
 * instance. Extend it with a pair to test; the pair must start empty.
 */
public abstract class EventHubContractTests {

	protected static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();

	private final Set<String> open = ConcurrentHashMap.newKeySet();

	private final List<String> runtimeMessages = new CopyOnWriteArrayList<>();

	private ChannelStore store;

	private AbstractEventHub hub;

	/**
	 * A new, empty store.
	 * @return the store
	 */
	protected abstract ChannelStore createStore();

	/**
	 * A new hub that uses the store.
	 * @param store the store
	 * @return the hub
	 */
	protected abstract AbstractEventHub createHub(ChannelStore store);

	/**
	 * Limits how many topics one connection of the hub may subscribe to.
	 * @param hub the hub
	 * @param limit the limit
	 */
	protected abstract void limitSubscriptions(EventHub hub, SubscriptionLimit limit);

	@BeforeEach
	void createHubAndStore() {
		this.store = createStore();
		this.hub = createHub(this.store);
		this.hub.bind((channelId, delivery) -> {
			if (!this.open.contains(channelId)) {
				return false;
			}
			this.delivered.computeIfAbsent(channelId, (id) -> new CopyOnWriteArrayList<>()).add(delivery.text());
			return true;
		}, this.runtimeMessages::add);
	}

	protected AbstractEventHub hub() {
		return this.hub;
	}

	protected ChannelStore store() {
		return this.store;
	}

	protected String connect(String userId) {
		String channelId = "c-" + java.util.UUID.randomUUID();
		this.open.add(channelId);
		join(this.store
			.add(new ChannelRecord(channelId, "chat", json.readTree("{\"room\":\"a\"}"), userId, null, null)));
		return channelId;
	}

	protected List<String> deliveredTo(String channelId) {
		return this.delivered.getOrDefault(channelId, List.of());
	}

	protected static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
		return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
	}

	@Test
	void publishReachesEverySubscriberFramedWithTheTopic() {
		String alice = connect("alice");
		String bob = connect("bob");
		join(this.hub.subscribe("room:a", alice));
		join(this.hub.subscribe("room:a", bob));
		join(this.hub.publish("room:a", null, Map.of("type", "message")));
		assertThat(deliveredTo(alice)).containsExactly("{\"topic\":\"room:a\",\"type\":\"message\"}");
		assertThat(deliveredTo(bob)).containsExactly("{\"topic\":\"room:a\",\"type\":\"message\"}");
	}

	@Test
	void publishSkipsTheExcludedChannel() {
		String alice = connect("alice");
		String bob = connect("bob");
		join(this.hub.subscribe("room:a", alice));
		join(this.hub.subscribe("room:a", bob));
		join(this.hub.publish("room:a", alice, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).isEmpty();
		assertThat(deliveredTo(bob)).hasSize(1);
	}

	@Test
	void payloadsThatAreNotObjectsOrHaveAnotherTopicAreWrapped() {
		String alice = connect("alice");
		join(this.hub.subscribe("t", alice));
		join(this.hub.publish("t", null, 42));
		join(this.hub.publish("t", null, List.of(1, 2)));
		join(this.hub.publish("t", null, Map.of("topic", "other")));
		join(this.hub.publish("t", null, Map.of("topic", "t")));
		assertThat(deliveredTo(alice)).containsExactly("{\"topic\":\"t\",\"data\":42}",
				"{\"topic\":\"t\",\"data\":[1,2]}", "{\"topic\":\"t\",\"data\":{\"topic\":\"other\"}}",
				"{\"topic\":\"t\"}");
	}

	@Test
	void publishToATopicWithoutSubscribersDeliversNothing() {
		String alice = connect("alice");
		join(this.hub.subscribe("t", alice));
		join(this.hub.publish("elsewhere", null, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).isEmpty();
	}

	@Test
	void unsubscribedChannelsReceiveNothing() {
		String alice = connect("alice");
		String bob = connect("bob");
		join(this.hub.subscribe("t", alice));
		join(this.hub.subscribe("t", bob));
		join(this.hub.unsubscribe("t", alice));
		join(this.hub.unsubscribe("t", "never-subscribed"));
		join(this.hub.publish("t", null, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).isEmpty();
		assertThat(deliveredTo(bob)).hasSize(1);
	}

	@Test
	void closedChannelLeavesEveryTopic() {
		String alice = connect("alice");
		String bob = connect("bob");
		join(this.hub.subscribe("t1", alice));
		join(this.hub.subscribe("t2", alice));
		join(this.hub.subscribe("t1", bob));
		join(this.hub.channelClosed(alice));
		join(this.store.remove(alice));
		join(this.hub.publish("t1", null, Map.of("n", 1)));
		join(this.hub.publish("t2", null, Map.of("n", 2)));
		assertThat(deliveredTo(alice)).isEmpty();
		assertThat(join(this.hub.subscribers("t1"))).extracting(TopicSubscriber::userId).containsExactly("bob");
		assertThat(join(this.hub.subscribers("t2"))).isEmpty();
	}

	@Test
	void channelThatIsGoneIsDroppedFromTheTopic() {
		String alice = connect("alice");
		join(this.hub.subscribe("t", alice));
		this.open.remove(alice);
		join(this.hub.publish("t", null, Map.of("n", 1)));
		join(this.store.remove(alice));
		await().atMost(Duration.ofSeconds(5)).until(() -> join(this.hub.subscribers("t")).isEmpty());
	}

	@Test
	void subscribersListChannelsWithTheirUsers() {
		String alice = connect("alice");
		String anonymous = connect(null);
		join(this.hub.subscribe("room:a", alice));
		join(this.hub.subscribe("room:a", anonymous));
		List<TopicSubscriber> subscribers = join(this.hub.subscribers("room:a"));
		assertThat(subscribers).containsExactlyInAnyOrder(new TopicSubscriber(alice, "alice"),
				new TopicSubscriber(anonymous, null));
		assertThat(subscribers).isSortedAccordingTo(java.util.Comparator.comparing(TopicSubscriber::channelId));
		assertThat(join(this.hub.subscribers("nobody"))).isEmpty();
	}

	@Test
	void subscribersFollowSessionChanges() {
		String channel = connect(null);
		join(this.hub.subscribe("room:a", channel));
		join(this.store.setSession(channel, "carol", json.readTree("{\"userId\":\"carol\"}")));
		assertThat(join(this.hub.subscribers("room:a"))).containsExactly(new TopicSubscriber(channel, "carol"));
		join(this.store.setSession(channel, null, null));
		assertThat(join(this.hub.subscribers("room:a"))).containsExactly(new TopicSubscriber(channel, null));
	}

	@Test
	void subscriptionsPastTheLimitAreRefused() {
		limitSubscriptions(this.hub, new SubscriptionLimit(2));
		String alice = connect("alice");
		join(this.hub.subscribe("t1", alice));
		join(this.hub.subscribe("t2", alice));
		join(this.hub.subscribe("t2", alice));
		assertThatExceptionOfType(java.util.concurrent.CompletionException.class)
			.isThrownBy(() -> join(this.hub.subscribe("t3", alice)))
			.havingCause()
			.isInstanceOfSatisfying(io.pikku.eventhub.SubscriptionLimitExceededException.class,
					(error) -> assertThat(error.getLimit()).isEqualTo(2));
		join(this.hub.unsubscribe("t1", alice));
		join(this.hub.subscribe("t3", alice));
		String bob = connect("bob");
		join(this.hub.subscribe("t1", bob));
		join(this.hub.publish("t3", null, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).hasSize(1);
	}

	/**
	 * Names a client could send: every one names exactly one topic, never a pattern,
	 * another topic or a key of the hub's own.
	 */
	public static final List<String> HOSTILE_TOPICS = List.of("*", "?", "[a-z]", "room:*", "room:?", "room:[ab]",
			"room:a*", "\\", "\\*", "a b", " a", "a\u0000b", "\u0000", "a\nb", "\r\n", "\t", "room:a\u0000", "{room}",
			"{", "}", "topic:room:a", "events:room:a", "channel:x", "..", "/", "%2A", "\"", "'", "\u00e9\u4e2d\u6587",
			"\ud83d\ude00".repeat(50), "\u4e2d".repeat(200), "x".repeat(200), "room:a ", "room:A", "ROOM:a", "Room:a");

	@Test
	void everyNameAClientCouldSendNamesExactlyOneTopic() {
		List<String> topics = new java.util.ArrayList<>(HOSTILE_TOPICS);
		topics.add("room:a");
		topics.add("room:b");
		Map<String, String> subscriberOf = new java.util.LinkedHashMap<>();
		for (String topic : topics) {
			String channel = connect("u");
			subscriberOf.put(topic, channel);
			join(this.hub.subscribe(topic, channel));
		}
		for (String topic : topics) {
			join(this.hub.publish(topic, null, Map.of("n", 1)));
		}
		subscriberOf.forEach((topic, channel) -> {
			assertThat(deliveredTo(channel)).as("deliveries to the subscriber of %s", describe(topic)).hasSize(1);
			assertThat(json.readTree(deliveredTo(channel).get(0)).path("topic").stringValue()).isEqualTo(topic);
			assertThat(join(this.hub.subscribers(topic))).as("subscribers of %s", describe(topic))
				.extracting(TopicSubscriber::channelId)
				.containsExactly(channel);
		});
	}

	private static String describe(String topic) {
		return json.writeValueAsString(topic);
	}

	@Test
	void namesThatStartWithTheReservedPrefixAreRefused() {
		String alice = connect("alice");
		for (String topic : List.of("pikku:users", "pikku:", "pikku:scope:echo:room:a", "pikku:runtime")) {
			assertReserved(() -> join(this.hub.subscribe(topic, alice)));
			assertReserved(() -> join(this.hub.unsubscribe(topic, alice)));
			assertReserved(() -> join(this.hub.publish(topic, null, Map.of("kind", "close"))));
			assertReserved(() -> join(this.hub.subscribers(topic)));
		}
		join(this.hub.subscribe("Pikku:users", alice));
		join(this.hub.subscribe("xpikku:users", alice));
		join(this.hub.publish("Pikku:users", null, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).hasSize(1);
	}

	private static void assertReserved(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		assertThatExceptionOfType(java.util.concurrent.CompletionException.class).isThrownBy(call)
			.havingCause()
			.isInstanceOf(ReservedTopicException.class)
			.withMessageContaining("reserved");
	}

	@Test
	void aScopeKeepsItsTopicsApartAndDeliversThemUnderTheNamesItWasGiven() {
		EventHub echo = this.hub.scope("echo");
		EventHub other = this.hub.scope("other");
		EventHub inner = echo.scope("inner");
		String scoped = connect("alice");
		String plain = connect("bob");
		String elsewhere = connect("carol");
		String nested = connect("dave");
		join(echo.subscribe("room:a", scoped));
		join(this.hub.subscribe("room:a", plain));
		join(other.subscribe("room:a", elsewhere));
		join(inner.subscribe("room:a", nested));
		join(echo.publish("room:a", null, Map.of("from", "echo")));
		assertThat(deliveredTo(scoped)).containsExactly("{\"topic\":\"room:a\",\"from\":\"echo\"}");
		assertThat(deliveredTo(plain)).isEmpty();
		assertThat(deliveredTo(elsewhere)).isEmpty();
		assertThat(deliveredTo(nested)).isEmpty();
		join(this.hub.publish("room:a", null, Map.of("from", "hub")));
		join(other.publish("room:a", null, Map.of("from", "other")));
		join(inner.publish("room:a", null, Map.of("from", "inner")));
		assertThat(deliveredTo(scoped)).hasSize(1);
		assertThat(deliveredTo(plain)).containsExactly("{\"topic\":\"room:a\",\"from\":\"hub\"}");
		assertThat(deliveredTo(elsewhere)).containsExactly("{\"topic\":\"room:a\",\"from\":\"other\"}");
		assertThat(deliveredTo(nested)).containsExactly("{\"topic\":\"room:a\",\"from\":\"inner\"}");
		assertThat(join(echo.subscribers("room:a"))).extracting(TopicSubscriber::userId).containsExactly("alice");
		join(echo.unsubscribe("room:a", scoped));
		assertThat(join(echo.subscribers("room:a"))).isEmpty();
		assertThat(join(this.hub.subscribers("room:a"))).extracting(TopicSubscriber::userId).containsExactly("bob");
	}

	@Test
	void aScopeTakesAnyNameAsData() {
		EventHub echo = this.hub.scope("echo");
		String scoped = connect("alice");
		String plain = connect("bob");
		join(this.hub.subscribe("x", plain));
		for (String topic : List.of("pikku:users", "pikku:scope:other:x", "", ":x", "x")) {
			join(echo.subscribe(topic, scoped));
			join(echo.publish(topic, null, Map.of("n", 1)));
		}
		assertThat(deliveredTo(scoped)).extracting((text) -> json.readTree(text).path("topic").stringValue())
			.containsExactly("pikku:users", "pikku:scope:other:x", "", ":x", "x");
		assertThat(deliveredTo(plain)).isEmpty();
		assertThat(this.runtimeMessages).isEmpty();
	}

	@Test
	void scopeNamesAreCheckedBecauseTheyKeepScopesApart() {
		for (String scope : List.of("", "a:b", "a/b", "a b", "é", "x".repeat(65))) {
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> this.hub.scope(scope))
				.withMessageContaining("scope");
		}
		assertThat(this.hub.scope("chat.rooms_2-b")).isNotNull();
	}

	@Test
	void runtimeMessagesReachTheRuntimeAndNoTopic() {
		String alice = connect("alice");
		for (String topic : List.of("runtime", "users", "pikku", "")) {
			join(this.hub.subscribe(topic, alice));
		}
		join(this.hub.sendToRuntimes("{\"user\":\"alice\",\"kind\":\"close\"}"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.runtimeMessages.isEmpty());
		assertThat(this.runtimeMessages).containsExactly("{\"user\":\"alice\",\"kind\":\"close\"}");
		assertThat(deliveredTo(alice)).isEmpty();
	}

	@Test
	void storeKeepsWhatItIsGiven() {
		String channel = connect("alice");
		ChannelRecord record = join(this.store.get(channel)).orElseThrow();
		assertThat(record.channelName()).isEqualTo("chat");
		assertThat(record.openingData().toString()).isEqualTo("{\"room\":\"a\"}");
		assertThat(record.userId()).isEqualTo("alice");
		assertThat(record.session()).isNull();
		assertThat(record.state()).isNull();
	}

	@Test
	void storeRoundTripsSessionAndState() {
		String channel = connect(null);
		JsonNode session = json.readTree("{\"userId\":\"dave\",\"roles\":[\"USER\"]}");
		JsonNode state = json.readTree("{\"typing\":true,\"count\":3}");
		join(this.store.setSession(channel, "dave", session));
		join(this.store.setState(channel, state));
		ChannelRecord record = join(this.store.get(channel)).orElseThrow();
		assertThat(record.userId()).isEqualTo("dave");
		assertThat(record.session()).isEqualTo(session);
		assertThat(record.state()).isEqualTo(state);
		join(this.store.setState(channel, null));
		assertThat(join(this.store.get(channel)).orElseThrow().state()).isNull();
	}

	@Test
	void storeRemovesAndIgnoresUnknownChannels() {
		String channel = connect("alice");
		join(this.store.remove(channel));
		assertThat(join(this.store.get(channel))).isEmpty();
		join(this.store.remove(channel));
		join(this.store.remove("unknown"));
		join(this.store.setSession("unknown", "x", null));
		join(this.store.setState("unknown", json.readTree("1")));
		assertThat(join(this.store.get("unknown"))).isEqualTo(Optional.empty());
	}

}
