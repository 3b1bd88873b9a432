package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.store.ChannelRecord;
import io.pikku.store.ChannelStore;
import io.pikku.store.redis.RedisChannelStore;
import io.pikku.test.TestRedis;
import io.pikku.test.EventHubContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Redis EventHub and channel store on a real Redis server: the shared contract, then
 * what only several instances show.
 */
class RedisEventHubTests extends EventHubContractTests {

	private static TestRedis redis;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
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

	private LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(0, factory::destroy);
		return factory;
	}

	private Instance instance(Duration ttl) {
		LettuceConnectionFactory factory = connectionFactory();
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(factory);
		ReactiveRedisMessageListenerContainer listeners = new ReactiveRedisMessageListenerContainer(factory);
		this.resources.add(0, listeners::destroy);
		String id = UUID.randomUUID().toString();
		RedisKeys keys = new RedisKeys(this.prefix);
		RedisChannelStore store = new RedisChannelStore(template, json, keys, id, ttl);
		RedisEventHub hub = new RedisEventHub(template, listeners, json, keys, id, ttl, Duration.ofSeconds(1));
		this.resources.add(0, hub);
		Instance instance = new Instance(store, hub);
		hub.bind((channelId, delivery) -> {
			List<String> inbox = instance.inboxes.get(channelId);
			if (inbox == null) {
				return false;
			}
			inbox.add(delivery.text());
			return true;
		}, instance.runtimeMessages::add);
		return instance;
	}

	@Override
	protected ChannelStore createStore() {
		LettuceConnectionFactory factory = connectionFactory();
		return new RedisChannelStore(new ReactiveStringRedisTemplate(factory), json, new RedisKeys(this.prefix),
				"contract", Duration.ofSeconds(30));
	}

	@Override
	protected void limitSubscriptions(EventHub hub, SubscriptionLimit limit) {
		((RedisEventHub) hub).setSubscriptionLimit(limit);
	}

	@Override
	protected AbstractEventHub createHub(ChannelStore store) {
		LettuceConnectionFactory factory = connectionFactory();
		ReactiveRedisMessageListenerContainer listeners = new ReactiveRedisMessageListenerContainer(factory);
		this.resources.add(0, listeners::destroy);
		RedisEventHub hub = new RedisEventHub(new ReactiveStringRedisTemplate(factory), listeners, json,
				new RedisKeys(this.prefix), "contract", Duration.ofSeconds(30), Duration.ofSeconds(2));
		this.resources.add(0, hub);
		return hub;
	}

	@Test
	void publishOnOneInstanceReachesSubscribersOnAnother() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String sender = a.connect("alice");
		String local = a.connect("carol");
		String remote = b.connect("bob");
		join(a.hub.subscribe("room:x", sender));
		join(a.hub.subscribe("room:x", local));
		join(b.hub.subscribe("room:x", remote));
		join(a.hub.publish("room:x", sender, json.readTree("{\"type\":\"message\",\"text\":\"hi\"}")));
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(remote).size() == 1);
		assertThat(b.inbox(remote)).containsExactly("{\"topic\":\"room:x\",\"type\":\"message\",\"text\":\"hi\"}");
		assertThat(a.inbox(local)).containsExactly("{\"topic\":\"room:x\",\"type\":\"message\",\"text\":\"hi\"}");
		join(b.hub.publish("room:x", null, Map.of("n", 2)));
		await().atMost(Duration.ofSeconds(5)).until(() -> a.inbox(local).size() == 2);
		assertThat(a.inbox(sender)).containsExactly("{\"topic\":\"room:x\",\"n\":2}");
		assertThat(b.inbox(remote)).hasSize(2);
	}

	@Test
	void everyNameAClientCouldSendNamesExactlyOneTopicAcrossInstances() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		List<String> topics = new ArrayList<>(HOSTILE_TOPICS);
		topics.add("room:a");
		topics.add("room:b");
		Map<String, String> subscriberOf = new java.util.LinkedHashMap<>();
		for (String topic : topics) {
			String channel = b.connect("u");
			subscriberOf.put(topic, channel);
			join(b.hub.subscribe(topic, channel));
		}
		EventHub scoped = b.hub.scope("echo");
		String scopedSubscriber = b.connect("s");
		join(scoped.subscribe("room:a", scopedSubscriber));
		for (String topic : topics) {
			join(a.hub.publish(topic, null, Map.of("n", 1)));
		}
		join(a.hub.scope("echo").publish("*", null, Map.of("n", 1)));
		join(a.hub.scope("echo").publish("room:a", null, Map.of("n", 2)));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> subscriberOf.values().stream().allMatch((channel) -> !b.inbox(channel).isEmpty())
					&& !b.inbox(scopedSubscriber).isEmpty());
		// Whatever arrived late would arrive behind this one.
		join(a.hub.publish("room:b", null, Map.of("n", 3)));
		await().atMost(Duration.ofSeconds(10)).until(() -> b.inbox(subscriberOf.get("room:b")).size() == 2);
		subscriberOf.forEach((topic, channel) -> {
			List<String> inbox = b.inbox(channel);
			assertThat(inbox).as("deliveries to the subscriber of %s", json.writeValueAsString(topic))
				.hasSize(topic.equals("room:b") ? 2 : 1);
			assertThat(json.readTree(inbox.get(0)).path("topic").stringValue()).isEqualTo(topic);
		});
		assertThat(b.inbox(scopedSubscriber)).containsExactly("{\"topic\":\"room:a\",\"n\":2}");
		assertThat(a.runtimeMessages).isEmpty();
		assertThat(b.runtimeMessages).isEmpty();
	}

	@Test
	void runtimeMessagesReachEveryInstanceOnceAndNoTopic() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String listener = b.connect("bob");
		for (String topic : List.of("runtime", "users", "", "*")) {
			join(b.hub.subscribe(topic, listener));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> a.hub.isListening() && b.hub.isListening());
		join(a.hub.sendToRuntimes("{\"user\":\"bob\",\"kind\":\"close\"}"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !b.runtimeMessages.isEmpty());
		join(a.hub.publish("users", null, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(listener).size() == 1);
		assertThat(a.runtimeMessages).containsExactly("{\"user\":\"bob\",\"kind\":\"close\"}");
		assertThat(b.runtimeMessages).containsExactly("{\"user\":\"bob\",\"kind\":\"close\"}");
		assertThat(b.inbox(listener)).containsExactly("{\"topic\":\"users\",\"n\":1}");
	}

	@Test
	void relayLagAndCountsAreReported() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		List<Duration> lags = new CopyOnWriteArrayList<>();
		b.hub.onRelayLag(lags::add);
		String remote = b.connect("bob");
		join(b.hub.subscribe("lag", remote));
		join(a.hub.publish("lag", null, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(remote).size() == 1);
		assertThat(lags).hasSize(1);
		assertThat(lags.get(0)).isBetween(Duration.ZERO, Duration.ofSeconds(5));
		assertThat(a.hub.published()).isEqualTo(1);
		assertThat(b.hub.delivered()).isEqualTo(1);
	}

	@Test
	void excludedChannelOnAnotherInstanceIsSkipped() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String excluded = b.connect("bob");
		String other = b.connect("dave");
		join(b.hub.subscribe("t", excluded));
		join(b.hub.subscribe("t", other));
		join(a.hub.publish("t", excluded, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(other).size() == 1);
		assertThat(b.inbox(excluded)).isEmpty();
	}

	@Test
	void presenceListsEveryInstancesSubscribersAndFollowsDisconnects() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String alice = a.connect("alice");
		String bob = b.connect("bob");
		join(a.hub.subscribe("room:x", alice));
		join(b.hub.subscribe("room:x", bob));
		assertThat(join(a.hub.subscribers("room:x"))).extracting(TopicSubscriber::userId)
			.containsExactlyInAnyOrder("alice", "bob");
		b.disconnect(bob);
		assertThat(join(a.hub.subscribers("room:x"))).extracting(TopicSubscriber::userId).containsExactly("alice");
	}

	@Test
	void instanceThatDiesWithoutCleanupExpires() {
		Duration ttl = Duration.ofMillis(900);
		Instance survivor = instance(ttl);
		Instance dying = instance(ttl);
		String alice = survivor.connect("alice");
		String ghost = dying.connect("ghost");
		join(survivor.hub.subscribe("room:x", alice));
		join(dying.hub.subscribe("room:x", ghost));
		assertThat(join(survivor.hub.subscribers("room:x"))).hasSize(2);
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() < deadline) {
			join(survivor.store.refresh());
			join(survivor.hub.refresh());
			sleep(ttl.dividedBy(3));
		}
		assertThat(join(survivor.hub.subscribers("room:x"))).containsExactly(new TopicSubscriber(alice, "alice"));
		assertThat(join(survivor.store.get(ghost))).isEmpty();
	}

	@Test
	void deliveryResumesAfterRedisRestarts() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String sender = a.connect("alice");
		String local = a.connect("carol");
		String remote = b.connect("bob");
		join(a.hub.subscribe("t", local));
		join(b.hub.subscribe("t", remote));
		redis.stop();
		try {
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> join(a.hub.publish("t", sender, Map.of("during", "outage"))));
			assertThat(a.inbox(local)).containsExactly("{\"topic\":\"t\",\"during\":\"outage\"}");
			assertThat(a.hub.failedPublishes()).isEqualTo(1);
		}
		finally {
			redis.restart();
		}
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
			a.hub.publish("t", sender, Map.of("after", "restart"));
			return !b.inbox(remote).isEmpty();
		});
		assertThat(b.inbox(remote)).allMatch((message) -> message.contains("after"));
		join(b.store.refresh());
		join(b.hub.refresh());
		assertThat(join(a.hub.subscribers("t"))).extracting(TopicSubscriber::userId).contains("bob");
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One application instance's store and hub, with an inbox per connection.
	 */
	private static final class Instance {

		final RedisChannelStore store;

		final RedisEventHub hub;

		final Map<String, List<String>> inboxes = new java.util.concurrent.ConcurrentHashMap<>();

		final List<String> runtimeMessages = new CopyOnWriteArrayList<>();

		Instance(RedisChannelStore store, RedisEventHub hub) {
			this.store = store;
			this.hub = hub;
		}

		String connect(String userId) {
			String channelId = "c-" + UUID.randomUUID();
			this.inboxes.put(channelId, new CopyOnWriteArrayList<>());
			join(this.store.add(new ChannelRecord(channelId, "chat", json.readTree("{}"), userId, null, null)));
			return channelId;
		}

		void disconnect(String channelId) {
			this.inboxes.remove(channelId);
			join(this.hub.channelClosed(channelId));
			join(this.store.remove(channelId));
		}

		List<String> inbox(String channelId) {
			return this.inboxes.getOrDefault(channelId, List.of());
		}

	}

}
