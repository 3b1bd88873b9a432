package io.pikku.eventhub.redis;

import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Listens to the relays on a Redis channel as the hubs do (classic pub/sub on a single
 * Redis, sharded on a cluster), and publishes raw frames on it, as a test's own instance.
 */
final class RelayTap implements AutoCloseable {

	private final Runnable subscription;

	private final Publisher publisher;

	private RelayTap(Runnable subscription, Publisher publisher) {
		this.subscription = subscription;
		this.publisher = publisher;
	}

	static RelayTap on(LettuceConnectionFactory factory, String channel, Consumer<byte[]> frames) {
		AbstractRedisClient client = factory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterPubSubConnection<String, byte[]> subscriptions = cluster
				.connectPubSub(RedisRelay.CODEC);
			subscriptions.addListener(new RedisClusterPubSubAdapter<>() {

				@Override
				public void smessage(RedisClusterNode node, String shardChannel, byte[] message) {
					frames.accept(message);
				}

			});
			subscriptions.sync().ssubscribe(channel);
			StatefulRedisClusterConnection<String, byte[]> commands = cluster.connect(RedisRelay.CODEC);
			return new RelayTap(() -> {
				subscriptions.close();
				commands.close();
			}, (name, frame) -> commands.sync().spublish(name, frame));
		}
		RedisClient redis = (RedisClient) client;
		StatefulRedisPubSubConnection<String, byte[]> subscriptions = redis.connectPubSub(RedisRelay.CODEC);
		subscriptions.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String name, byte[] message) {
				frames.accept(message);
			}

		});
		subscriptions.sync().subscribe(channel);
		StatefulRedisConnection<String, byte[]> commands = redis.connect(RedisRelay.CODEC);
		return new RelayTap(() -> {
			subscriptions.close();
			commands.close();
		}, (name, frame) -> commands.sync().publish(name, frame));
	}

	void publish(String channel, byte[] frame) {
		this.publisher.publish(channel, frame);
	}

	@Override
	public void close() {
		this.subscription.run();
	}

	@FunctionalInterface
	private interface Publisher {

		void publish(String channel, byte[] frame);

	}

}
