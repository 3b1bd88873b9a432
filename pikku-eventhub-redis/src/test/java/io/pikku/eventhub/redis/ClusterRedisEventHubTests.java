package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.cluster.SlotHash;
import io.pikku.test.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis EventHub on a real Redis Cluster of 3 masters, each with a replica: every
 * test of a single Redis (the shared contract with its hostile topic names, several
 * instances, presence, expiry, order, backpressure, a restart), then what only a cluster
 * shows: sharded pub/sub, and masters that fail or hand over under traffic.
 */
class ClusterRedisEventHubTests extends RedisEventHubTests {

	private static EmbeddedRedisCluster cluster;

	private EmbeddedRedisCluster.Node stopped;

	@BeforeAll
	static void startCluster() {
		cluster = EmbeddedRedisCluster.start(3, 1);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void restoreCluster() {
		for (EmbeddedRedisCluster.Node node : cluster.nodes()) {
			node.start();
		}
		cluster.awaitHealthy();
	}

	@Override
	RedisConfiguration redisConfiguration() {
		return new RedisClusterConfiguration(List.of(cluster.nodesProperty().split(",")));
	}

	@Override
	void stopRedisServing(String topic) {
		this.stopped = cluster.masterOf(slotOf(topic));
		this.stopped.kill();
	}

	@Override
	void startRedisAgain() {
		this.stopped.start();
		cluster.awaitHealthy();
	}

	private int slotOf(String topic) {
		return SlotHash.getSlot(new RedisKeys(this.prefix).events(topic));
	}

	@Test
	void aTopicsPublishesTravelOnItsShardOnly() {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		String remote = b.connect("bob");
		join(b.hub.subscribe("sharded", remote));
		join(a.hub.publish("sharded", null, Map.of("n", 1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> b.inbox(remote).size() == 1);
		String channel = new RedisKeys(this.prefix).events("sharded");
		EmbeddedRedisCluster.Node owner = cluster.masterOf(slotOf("sharded"));
		for (EmbeddedRedisCluster.Node node : cluster.nodes()) {
			List<String> shardChannels = node.run((redis) -> redis.pubsubShardChannels(this.prefix + "*"));
			if (node == owner) {
				assertThat(shardChannels).contains(channel);
			}
			else {
				assertThat(shardChannels).as("shard channels on %s", node).doesNotContain(channel);
			}
			List<String> classicChannels = node.run((redis) -> redis.pubsubChannels(this.prefix + "*"));
			assertThat(classicChannels).as("classic channels on %s", node).isEmpty();
		}
	}

	@Test
	void mastersThatFailOrHandOverUnderTrafficAreFollowedAndNothingArrivesTwice() throws Exception {
		Instance a = instance(Duration.ofSeconds(30));
		Instance b = instance(Duration.ofSeconds(30));
		List<String> topics = topicsOnEveryMaster();
		Map<String, String> subscribers = new HashMap<>();
		for (String topic : topics) {
			String channel = b.connect("bob");
			subscribers.put(topic, channel);
			join(b.hub.subscribe(topic, channel));
		}
		Traffic traffic = new Traffic(a, topics);
		traffic.start();
		try {
			traffic.awaitDeliveries(b, subscribers);
			int slot = slotOf(topics.get(0));
			EmbeddedRedisCluster.Node failed = cluster.masterOf(slot);
			// A master crashes: its replica takes over, the relay follows it.
			failed.kill();
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cluster.masterOf(slot) != failed);
			traffic.awaitDeliveries(b, subscribers);
			// It comes back as a replica, then takes its slots back by a manual
			// failover: Redis unsubscribes the listeners of the old master's channels.
			failed.start();
			cluster.awaitHealthy();
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
				if (cluster.masterOf(slot) == failed) {
					return true;
				}
				// once it has caught up with its master (a failover asked before is
				// refused)
				if (failed.run((redis) -> redis.info("replication")).contains("master_link_status:up")) {
					failed.run((redis) -> redis.clusterFailover(false));
				}
				return false;
			});
			traffic.awaitDeliveries(b, subscribers);
		}
		finally {
			traffic.stop();
		}
		// Once the cluster is stable again, every publish arrives.
		await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.isListening() && b.hub.isListening());
		for (String topic : topics) {
			for (int i = 0; i < 50; i++) {
				join(a.hub.publish(topic, null, Map.of("n", traffic.sent(topic) + i)));
			}
		}
		for (String topic : topics) {
			String subscriber = subscribers.get(topic);
			int last = traffic.sent(topic) + 49;
			await().atMost(Duration.ofSeconds(10)).until(() -> b.numbers(subscriber).contains(last));
			List<Integer> numbers = b.numbers(subscriber);
			assertThat(numbers).as("deliveries of %s", topic).isSorted().doesNotHaveDuplicates();
			assertThat(numbers.subList(numbers.size() - 50, numbers.size())).as("the last publishes to %s", topic)
				.isEqualTo(java.util.stream.IntStream.rangeClosed(last - 49, last).boxed().toList());
		}
	}

	/** Two topics in the slots of each master. */
	private List<String> topicsOnEveryMaster() {
		Map<EmbeddedRedisCluster.Node, List<String>> byMaster = new HashMap<>();
		for (int i = 0; byMaster.values().stream().mapToInt(List::size).sum() < 6; i++) {
			String topic = "traffic:" + i;
			List<String> own = byMaster.computeIfAbsent(cluster.masterOf(slotOf(topic)), (node) -> new ArrayList<>());
			if (own.size() < 2) {
				own.add(topic);
			}
		}
		return byMaster.values().stream().flatMap(List::stream).toList();
	}

	/**
	 * A publisher on its own thread, numbering the messages of each topic, about 1,000 a
	 * second in all.
	 */
	private static final class Traffic {

		private final Instance publisher;

		private final List<String> topics;

		private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		Traffic(Instance publisher, List<String> topics) {
			this.publisher = publisher;
			this.topics = topics;
			topics.forEach((topic) -> this.sent.put(topic, new AtomicInteger()));
			this.thread = new Thread(this::publish, "traffic");
		}

		void start() {
			this.thread.start();
		}

		private void publish() {
			while (this.running.get()) {
				for (String topic : this.topics) {
					int n = this.sent.get(topic).getAndIncrement();
					// refused while the shard's master is down: counted as sent, lost
					this.publisher.hub.publish(topic, null, Map.of("n", n));
				}
				sleep(Duration.ofMillis(5));
			}
		}

		int sent(String topic) {
			return this.sent.get(topic).get();
		}

		/** Waits until what every topic sends from now on arrives. */
		void awaitDeliveries(Instance receiver, Map<String, String> subscribers) {
			Map<String, Integer> from = new HashMap<>();
			this.topics.forEach((topic) -> from.put(topic, sent(topic)));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.topics.stream()
					.allMatch((topic) -> receiver.numbers(subscribers.get(topic))
						.stream()
						.anyMatch((n) -> n > from.get(topic))));
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join(5_000);
		}

	}

}
