package io.pikku.eventhub.redis;

import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

/**
 * The relay on a single Redis, or one that Sentinel watches (Lettuce follows the master):
 * {@code PUBLISH} on one connection, {@code SUBSCRIBE} on another.
 */
final class StandaloneRelay extends RedisRelay {

	private final RedisClient client;

	private volatile @Nullable StatefulRedisConnection<String, byte[]> publishing;

	private volatile @Nullable StatefulRedisPubSubConnection<String, byte[]> subscriptions;

	StandaloneRelay(RedisClient client, Listener listener, int maxPending) {
		super(client, listener, (connection, channel,
				message) -> ((StatefulRedisConnection<String, byte[]>) connection).async().publish(channel, message),
				maxPending);
		this.client = client;
	}

	@Override
	protected void doConnect() {
		StatefulRedisConnection<String, byte[]> publishing = this.client.connect(CODEC);
		StatefulRedisPubSubConnection<String, byte[]> subscriptions;
		try {
			subscriptions = this.client.connectPubSub(CODEC);
		}
		catch (RuntimeException ex) {
			publishing.closeAsync();
			throw ex;
		}
		subscriptions.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String channel, byte[] message) {
				StandaloneRelay.this.listener.message(channel, message);
			}

		});
		this.publishing = publishing;
		this.subscriptions = subscriptions;
		this.publisher.attach(publishing);
	}

	@Override
	protected CompletableFuture<Void> subscribeNow(String channel) {
		return connection().async().subscribe(channel).toCompletableFuture();
	}

	@Override
	protected CompletableFuture<Void> unsubscribeNow(String channel) {
		return connection().async().unsubscribe(channel).toCompletableFuture();
	}

	private StatefulRedisPubSubConnection<String, byte[]> connection() {
		StatefulRedisPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions == null) {
			throw new IllegalStateException("Not connected");
		}
		return subscriptions;
	}

	@Override
	boolean isListening() {
		StatefulRedisPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		return subscriptions != null && subscriptions.isOpen();
	}

	@Override
	protected void closeConnections() {
		StatefulRedisConnection<String, byte[]> publishing = this.publishing;
		if (publishing != null) {
			publishing.close();
		}
		StatefulRedisPubSubConnection<String, byte[]> subscriptions = this.subscriptions;
		if (subscriptions != null) {
			subscriptions.close();
		}
	}

}
