package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.LettuceObservationContext;
import io.lettuce.core.tracing.MicrometerTracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
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

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis EventHub and channel store on a real Redis server: the shared contract, then
 * what only several instances show.
 */
class RedisEventHubTests extends EventHubContractTests {

	static TestRedis redis;

	final List<AutoCloseable> resources = new ArrayList<>();

	final String prefix = "test-" + UUID.randomUUID() + ":";

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

	/**
	 * Where the instances find Redis.
	 * @return the configuration
	 */
	RedisConfiguration redisConfiguration() {
		return new RedisStandaloneConfiguration(redis.host(), redis.port());
	}

	LettuceConnectionFactory connectionFactory() {
		return connectionFactory(LettuceClientConfiguration.defaultConfiguration());
	}

	LettuceConnectionFactory connectionFactory(LettuceClientConfiguration client) {
		RedisConfiguration configuration = redisConfiguration();
		// as Spring Boot makes it: given as a standalone configuration, it tells its
		// servers
		LettuceConnectionFactory factory = (configuration instanceof RedisStandaloneConfiguration standalone)
				? new LettuceConnectionFactory(standalone, client)
				: new LettuceConnectionFactory(configuration, client);
		return started(factory);
	}

	LettuceConnectionFactory started(LettuceConnectionFactory factory) {
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(0, factory::destroy);
		return factory;
	}

	Instance instance(Duration ttl) {
		return instance(ttl, RelayLimits.DEFAULT);
	}

	Instance instance(Duration ttl, RelayLimits limits) {
		return instance(ttl, limits, LettuceClientConfiguration.defaultConfiguration());
	}

	Instance instance(Duration ttl, RelayLimits limits, LettuceClientConfiguration client) {
		LettuceConnectionFactory factory = connectionFactory(client);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(factory);
		String id = UUID.randomUUID().toString();
		RedisKeys keys = new RedisKeys(this.prefix);
		RedisChannelStore store = new RedisChannelStore(template, json, keys, id, ttl);
		RedisEventHub hub = new RedisEventHub(template, json, keys, id, ttl, Duration.ofSeconds(2), limits);
		this.resources.add(0, hub);
		Instance instance = new Instance(store, hub);
		hub.bind((channelId, delivery) -> {
			List<String> inbox = instance.inboxes.get(channelId);
			if (inbox == null) {
				return false;
			}
			CountDownLatch hold = instance.holds.get(channelId);
			if (hold != null) {
				try {
					hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
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
		RedisEventHub hub = new RedisEventHub(new ReactiveStringRedisTemplate(factory), json,
				new RedisKeys(this.prefix), "contract", Duration.ofSeconds(30), Duration.ofSeconds(2));
		this.resources.add(0, hub);
		return hub;
	}

	@Test
	void relaysAreNotObservedOneByOneWhileTheApplicationsCommandsAre() {
		// as Spring Boot sets Lettuce up when an ObservationRegistry is around
		ObservationRegistry observations = ObservationRegistry.create();
		List<String> observed = new CopyOnWriteArrayList<>();
		observations.observationConfig().observationHandler(new ObservationHandler<LettuceObservationContext>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof LettuceObservationContext;
			}

			@Override
			public void onStop(LettuceObservationContext context) {
				observed.add(context.getRequiredCommand().getType().toString());
			}

		});
		ClientResources clientResources = ClientResources.builder()
			.tracing(new MicrometerTracing(observations, "redis"))
			.build();
		this.resources.add(clientResources::shutdown);
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.clientResources(clientResources)
			.build();
		Instance a = instance(Duration.ofSeconds(30), RelayLimits.DEFAULT, client);
		Instance b = instance(Duration.ofSeconds(30), RelayLimits.DEFAULT, client);
		String remote = b.connect("bob");
		join(b.hub.subscribe("room:observed", remote));
		for (int i = 0; i < 20; i++) {
			join(a.hub.publish("room:observed", null, Map.of("n", i)));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(remote).size() == 20);
		// the topic's membership is written with the application's commands, observed
		assertThat(observed).isNotEmpty()
			.noneMatch((command) -> command.endsWith("PUBLISH") || command.endsWith("SUBSCRIBE"));
	}

	@Test
	void aRelayWhoseFactoryCannotTellItsServersSharesTheApplicationsClient() {
		// the RedisConfiguration constructor: getStandaloneConfiguration() is the default
		RedisConfiguration configuration = redisConfiguration();
		LettuceConnectionFactory factory = started(new LettuceConnectionFactory(configuration));
		RedisEventHub hub = new RedisEventHub(new ReactiveStringRedisTemplate(factory), json,
				new RedisKeys(this.prefix), "opaque", Duration.ofSeconds(30), Duration.ofSeconds(2));
		this.resources.add(0, hub);
		Instance b = instance(Duration.ofSeconds(30));
		String remote = b.connect("bob");
		join(b.hub.subscribe("room:opaque", remote));
		join(hub.publish("room:opaque", null, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(remote).size() == 1);
		hub.close();
		// closing the hub leaves the application's client to its factory
		assertThat(new ReactiveStringRedisTemplate(factory).hasKey("anything").block(Duration.ofSeconds(2))).isFalse();
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
	void everyAcceptedPublishOfOnePublisherArrivesOnceAndInOrderAtFullSpeed() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String remote = b.connect("bob");
		join(b.hub.subscribe("fast", remote));
		// As fast as one thread can publish. Some may be refused (too many await Redis,
		// or the connection is down for a moment); every accepted one must arrive.
		List<Integer> accepted = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		for (int n = 0; accepted.size() < 10_000 && System.nanoTime() < deadline; n++) {
			if (!a.hub.publish("fast", null, Map.of("n", n)).toCompletableFuture().isCompletedExceptionally()) {
				accepted.add(n);
			}
		}
		assertThat(accepted).hasSize(10_000);
		await().atMost(Duration.ofSeconds(30)).until(() -> b.inbox(remote).size() >= accepted.size());
		assertThat(b.numbers(remote)).isEqualTo(accepted);
		assertThat(b.hub.relayDropped()).isZero();
	}

	@Test
	void publishersOnSeveralThreadsKeepTheirOwnOrder() throws Exception {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String remote = b.connect("bob");
		join(b.hub.subscribe("shared", remote));
		int threads = 4;
		int each = 2_000;
		java.util.concurrent.ExecutorService publishers = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			List<java.util.concurrent.Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(publishers.submit(() -> {
					for (int n = 0; n < each; n++) {
						join(a.hub.publish("shared", null, Map.of("t", thread, "n", thread * each + n)));
					}
				}));
			}
			for (java.util.concurrent.Future<?> future : done) {
				future.get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		finally {
			publishers.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> b.inbox(remote).size() == threads * each);
		List<Integer> numbers = b.numbers(remote);
		for (int t = 0; t < threads; t++) {
			int thread = t;
			List<Integer> own = numbers.stream().filter((n) -> n / each == thread).toList();
			assertThat(own).as("publisher %d", thread).isSorted().hasSize(each).doesNotHaveDuplicates();
		}
	}

	@Test
	void anInstanceThatFallsBehindDropsTheOldestAndStaysBounded() {
		int limit = 100;
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30), new RelayLimits(limit, RelayLimits.DEFAULT.pendingPublishes()));
		String slow = b.connect("bob");
		join(b.hub.subscribe("busy", slow));
		CountDownLatch hold = b.hold(slow);
		for (int n = 0; n < 2_000; n++) {
			join(a.hub.publish("busy", null, Map.of("n", n)));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> b.hub.relayReceived() + b.hub.relayDropped() + b.hub.relayQueued() >= 2_000);
		assertThat(b.hub.relayQueued()).isLessThanOrEqualTo(limit);
		assertThat(b.hub.relayDropped()).isGreaterThanOrEqualTo(2_000 - limit - 1);
		hold.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> b.hub.relayQueued() == 0);
		List<Integer> numbers = b.numbers(slow);
		// the one being delivered when it fell behind, then the newest the queue held
		assertThat(numbers).hasSizeLessThanOrEqualTo(limit + 1).isSorted().doesNotHaveDuplicates();
		assertThat(numbers).last().isEqualTo(1_999);
		assertThat(numbers.size() + b.hub.relayDropped()).isEqualTo(2_000);
	}

	@Test
	void aSubscriberReceivesNothingThatWaitedForDeliveryBeforeItJoined() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String early = b.connect("bob");
		join(b.hub.subscribe("queue", early));
		CountDownLatch hold = b.hold(early);
		for (int n = 0; n < 10; n++) {
			join(a.hub.publish("queue", null, Map.of("n", n)));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> b.hub.relayReceived() + b.hub.relayQueued() == 10 && b.hub.relayQueued() > 0);
		String late = b.connect("carol");
		join(b.hub.subscribe("queue", late));
		hold.countDown();
		join(a.hub.publish("queue", null, Map.of("n", 10)));
		await().atMost(Duration.ofSeconds(10)).until(() -> b.inbox(early).size() == 11);
		await().atMost(Duration.ofSeconds(10)).until(() -> !b.inbox(late).isEmpty());
		assertThat(b.numbers(early)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
		assertThat(b.numbers(late)).containsExactly(10);
	}

	@Test
	void aRelayThatArrivesAgainOrLateIsDeliveredOnce() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String remote = b.connect("bob");
		join(b.hub.subscribe("once", remote));
		String channel = new RedisKeys(this.prefix).events("once");
		List<byte[]> frames = new CopyOnWriteArrayList<>();
		LettuceConnectionFactory factory = connectionFactory();
		try (RelayTap tap = RelayTap.on(factory, channel, frames::add)) {
			for (int n = 0; n < 3; n++) {
				join(a.hub.publish("once", null, Map.of("n", n)));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == 3 && b.inbox(remote).size() == 3);
			// What Lettuce replays after a reconnect, or a second subscription during a
			// failover, looks like this: the same frames again, in any order.
			tap.publish(channel, frames.get(2));
			tap.publish(channel, frames.get(0));
			tap.publish(channel, frames.get(1));
			join(a.hub.publish("once", null, Map.of("n", 3)));
			await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(remote).size() >= 4);
		}
		assertThat(b.numbers(remote)).containsExactly(0, 1, 2, 3);
		assertThat(b.hub.relayDropped()).isEqualTo(3);
	}

	@Test
	void topicNamesRedisCannotNameExactlyAreRefused() {
		Instance a = instance(Duration.ofSeconds(30));
		String alice = a.connect("alice");
		for (String topic : List.of("a\ud800", "\udc00b", "x\ud83d")) {
			assertThat(a.hub.subscribe(topic, alice).toCompletableFuture()).isCompletedExceptionally();
			assertThat(a.hub.publish(topic, null, Map.of("n", 1)).toCompletableFuture()).isCompletedExceptionally();
			assertThat(a.hub.scope("echo").subscribe(topic, alice).toCompletableFuture()).isCompletedExceptionally();
		}
		join(a.hub.subscribe("\ud83d\ude00", alice));
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
		stopRedisServing("t");
		try {
			// Refused at once, as soon as the relay has seen the connection drop.
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
				try {
					join(a.hub.publish("t", sender, Map.of("during", "outage")));
					return false;
				}
				catch (CompletionException ex) {
					return ex.getCause() instanceof RelayRefusedException;
				}
			});
			assertThat(a.inbox(local)).isNotEmpty().allMatch((message) -> message.contains("outage"));
			assertThat(a.hub.failedPublishes()).isPositive();
		}
		finally {
			startRedisAgain();
		}
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
			a.hub.publish("t", sender, Map.of("after", "restart"));
			return b.inbox(remote).stream().anyMatch((message) -> message.contains("after"));
		});
		join(b.store.refresh());
		join(b.hub.refresh());
		assertThat(join(a.hub.subscribers("t"))).extracting(TopicSubscriber::userId).contains("bob");
	}

	@Test
	void aTopicWhoseSubscriptionFailedInAnOutageIsSubscribedAgainByItsNextSubscriber() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = impatientInstance();
		String sender = a.connect("alice");
		String late = b.connect("carol");
		subscribeDuringAnOutage(b, "later", b.connect("bob"));
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			join(b.hub.subscribe("later", late));
			return true;
		});
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
			a.hub.publish("later", sender, Map.of("n", 1));
			return !b.inbox(late).isEmpty();
		});
		assertThat(b.hub.isListening()).isTrue();
	}

	@Test
	void theHeartbeatSubscribesAgainWhatFailedInAnOutage() {
		Instance b = impatientInstance();
		subscribeDuringAnOutage(b, "later", b.connect("bob"));
		assertThat(b.hub.isListening()).isFalse();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			join(b.hub.refresh());
			return b.hub.isListening();
		});
	}

	/** An instance whose Redis commands give up after half a second. */
	private Instance impatientInstance() {
		return instance(Duration.ofSeconds(30), RelayLimits.DEFAULT,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500)).build());
	}

	/** Subscribes while Redis is away, which fails, then brings Redis back (empty). */
	private void subscribeDuringAnOutage(Instance instance, String topic, String channelId) {
		stopRedisServing(topic);
		try {
			assertThat(instance.hub.subscribe(topic, channelId).toCompletableFuture())
				.failsWithin(Duration.ofSeconds(10));
		}
		finally {
			startRedisAgain();
		}
	}

	/**
	 * Stops the Redis server that serves a topic, as a crash would.
	 * @param topic the topic
	 */
	void stopRedisServing(String topic) {
		redis.stop();
	}

	/** Starts what {@link #stopRedisServing(String)} stopped, empty. */
	void startRedisAgain() {
		redis.restart();
	}

	static void sleep(Duration duration) {
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
	static final class Instance {

		final RedisChannelStore store;

		final RedisEventHub hub;

		final Map<String, List<String>> inboxes = new java.util.concurrent.ConcurrentHashMap<>();

		final List<String> runtimeMessages = new CopyOnWriteArrayList<>();

		/** Deliveries to these connections wait until their latch opens. */
		final Map<String, CountDownLatch> holds = new java.util.concurrent.ConcurrentHashMap<>();

		Instance(RedisChannelStore store, RedisEventHub hub) {
			this.store = store;
			this.hub = hub;
		}

		String connect(String userId) {
			String channelId = "c-" + UUID.randomUUID();
			// Appends stay cheap at thousands of deliveries; reads take a copy.
			this.inboxes.put(channelId, java.util.Collections.synchronizedList(new ArrayList<>()));
			join(this.store.add(new ChannelRecord(channelId, "chat", json.readTree("{}"), userId, null, null)));
			return channelId;
		}

		void disconnect(String channelId) {
			this.inboxes.remove(channelId);
			join(this.hub.channelClosed(channelId));
			join(this.store.remove(channelId));
		}

		List<String> inbox(String channelId) {
			List<String> inbox = this.inboxes.getOrDefault(channelId, List.of());
			synchronized (inbox) {
				return List.copyOf(inbox);
			}
		}

		/** The numbers {@code n} of the messages a connection received, in order. */
		List<Integer> numbers(String channelId) {
			return inbox(channelId).stream().map((text) -> json.readTree(text).path("n").asInt()).toList();
		}

		CountDownLatch hold(String channelId) {
			CountDownLatch hold = new CountDownLatch(1);
			this.holds.put(channelId, hold);
			return hold;
		}

	}

}
