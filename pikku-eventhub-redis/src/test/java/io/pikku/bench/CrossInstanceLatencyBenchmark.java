package io.pikku.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.eventhub.redis.RedisKeys;
import io.pikku.store.ChannelRecord;
import io.pikku.store.redis.RedisChannelStore;
import io.pikku.test.EmbeddedRedis;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Measures cross-instance delivery latency of the Redis EventHub: instance A publishes, a
 * subscriber on instance B receives; both in this JVM so that one clock times both ends,
 * each with its own Redis connections, on a real Redis over loopback. Not a test: run it
 * with
 * {@code ./mvnw -pl pikku-eventhub-redis -am test-compile exec:java -Dexec.mainClass=io.pikku.bench.CrossInstanceLatencyBenchmark -Dexec.classpathScope=test}.
 * Arguments: messages (10,000) and rate per second (1,000).
 */
public final class CrossInstanceLatencyBenchmark {

	private static final JsonMapper json = JsonMapper.builder().build();

	private CrossInstanceLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int messages = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 1_000;
		try (EmbeddedRedis redis = EmbeddedRedis.start()) {
			Instance a = new Instance(redis.port());
			Instance b = new Instance(redis.port());
			long[] latencies = new long[messages];
			AtomicInteger received = new AtomicInteger();
			CountDownLatch done = new CountDownLatch(messages);
			b.hub.bind((channelId, delivery) -> {
				long sent = delivery.message().get("sentAt").asLong();
				int index = delivery.message().get("n").asInt();
				latencies[index] = System.nanoTime() - sent;
				received.incrementAndGet();
				done.countDown();
				return true;
			}, (message) -> {
			});
			a.hub.bind((channelId, delivery) -> true, (message) -> {
			});
			b.store.add(new ChannelRecord("subscriber", "bench", json.readTree("{}"), null, null, null))
				.toCompletableFuture()
				.join();
			b.hub.subscribe("bench", "subscriber").toCompletableFuture().join();
			warmUp(a, 2_000);
			long interval = TimeUnit.SECONDS.toNanos(1) / rate;
			long start = System.nanoTime();
			for (int n = 0; n < messages; n++) {
				long due = start + n * interval;
				while (System.nanoTime() < due) {
					LockSupport.parkNanos(Math.max(1_000, due - System.nanoTime() - 50_000));
				}
				a.hub.publish("bench", null, Map.of("n", n, "sentAt", System.nanoTime()));
			}
			boolean complete = done.await(30, TimeUnit.SECONDS);
			long[] sorted = Arrays.copyOf(latencies, received.get());
			Arrays.sort(sorted);
			System.out.printf("Redis EventHub cross-instance delivery: %d messages at %d/s, %d received%s%n", messages,
					rate, received.get(), complete ? "" : " (incomplete)");
			System.out.printf("  median %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", millis(sorted, 0.50),
					millis(sorted, 0.99), millis(sorted, 0.999), millis(sorted, 1.0));
			a.close();
			b.close();
		}
	}

	private static void warmUp(Instance a, int count) throws InterruptedException {
		for (int i = 0; i < count; i++) {
			a.hub.publish("warm-up", null, Map.of("n", i));
		}
		Thread.sleep(500);
	}

	private static double millis(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

	private static final class Instance {

		final LettuceConnectionFactory factory;

		final ReactiveRedisMessageListenerContainer listeners;

		final RedisChannelStore store;

		final RedisEventHub hub;

		Instance(int port) {
			this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
			this.factory.afterPropertiesSet();
			this.factory.start();
			ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(this.factory);
			this.listeners = new ReactiveRedisMessageListenerContainer(this.factory);
			String id = UUID.randomUUID().toString();
			RedisKeys keys = new RedisKeys("bench:");
			this.store = new RedisChannelStore(template, json, keys, id, Duration.ofSeconds(30));
			this.hub = new RedisEventHub(template, this.listeners, json, keys, id, Duration.ofSeconds(30),
					Duration.ofSeconds(2));
		}

		void close() {
			this.hub.close();
			this.listeners.destroy();
			this.factory.destroy();
		}

	}

}
