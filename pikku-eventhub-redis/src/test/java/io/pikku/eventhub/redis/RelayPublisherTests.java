package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.pikku.test.EmbeddedRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RelayPublisher} on a real Redis that goes away and comes back.
 */
class RelayPublisherTests {

	@Test
	void relaysThatAFlushLeftQueuedWhileDisconnectedAreWrittenAfterTheReconnect() {
		// embedded, not TestRedis: a paused container would not drop the socket
		try (EmbeddedRedis redis = EmbeddedRedis.start()) {
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
			try {
				StatefulRedisConnection<String, byte[]> connection = client.connect(RedisRelay.CODEC);
				List<Runnable> flushes = new CopyOnWriteArrayList<>();
				RelayPublisher publisher = new RelayPublisher(
						(publishing, channel, message) -> ((StatefulRedisConnection<String, byte[]>) publishing).async()
							.publish(channel, message),
						flushes::add, 10);
				publisher.attach(connection);
				assertThat(publisher.publish("relay", (sequence) -> new byte[] { 1 })).isNull();
				redis.stop();
				await().atMost(Duration.ofSeconds(5)).until(() -> !connection.isOpen());
				// the flush runs while the connection is down: nothing is written
				flushes.forEach(Runnable::run);
				flushes.clear();
				redis.restart();
				await().atMost(Duration.ofSeconds(20)).until(connection::isOpen);
				await().during(Duration.ofMillis(300))
					.atMost(Duration.ofSeconds(2))
					.until(() -> publisher.pending() == 1);
				publisher.flushQueued();
				flushes.forEach(Runnable::run);
				await().atMost(Duration.ofSeconds(5)).until(() -> publisher.pending() == 0);
				assertThat(publisher.failed()).isZero();
			}
			finally {
				client.shutdown();
			}
		}
	}

}
