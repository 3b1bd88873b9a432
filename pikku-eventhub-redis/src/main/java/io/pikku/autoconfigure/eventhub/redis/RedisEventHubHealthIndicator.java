package io.pikku.autoconfigure.eventhub.redis;

import java.util.concurrent.TimeUnit;

import io.pikku.eventhub.redis.RedisEventHub;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The Redis EventHub's health: up when Redis answers and every topic with local
 * subscribers is listened to, so that relays reach this instance.
 */
final class RedisEventHubHealthIndicator extends AbstractHealthIndicator {

	private final RedisEventHub eventHub;

	RedisEventHubHealthIndicator(RedisEventHub eventHub) {
		super("Redis EventHub health check failed");
		this.eventHub = eventHub;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		String pong = this.eventHub.ping().toCompletableFuture().get(10, TimeUnit.SECONDS);
		boolean listening = this.eventHub.isListening();
		(listening ? builder.up() : builder.down()).withDetail("redis", pong)
			.withDetail("listening", listening)
			.withDetail("topics", this.eventHub.localTopics().size())
			.withDetail("failedPublishes", this.eventHub.failedPublishes())
			.withDetail("relayQueued", this.eventHub.relayQueued())
			.withDetail("relayDropped", this.eventHub.relayDropped());
	}

}
