package io.pikku.autoconfigure.eventhub.redis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Redis EventHub and channel store, under
 * {@code pikku.eventhub.redis}.
 */
@ConfigurationProperties("pikku.eventhub.redis")
public class PikkuRedisProperties {

	/**
	 * Prefix of every Redis key and pub/sub channel Pikku uses, so that several
	 * applications can share one Redis. It must not contain '{' or '}', which Redis
	 * Cluster reads as a hash tag.
	 */
	private String keyPrefix = "pikku:";

	/**
	 * How long a subscribe, unsubscribe, presence query or health check waits for Redis
	 * before it fails, and how long shutdown waits for accepted publishes to reach Redis.
	 * A publish never waits: while Redis is unreachable, it is delivered on this instance
	 * and its relay fails at once.
	 */
	private Duration commandTimeout = Duration.ofSeconds(2);

	/**
	 * How many publishes from other instances may wait for delivery on this instance. An
	 * instance that falls further behind drops the oldest waiting publish of the topic,
	 * and counts it in pikku.eventhub.relay.dropped.
	 */
	private int relayQueueLimit = 10_000;

	/**
	 * How many of this instance's publishes may await Redis. Past it (Redis slower than
	 * the publishers), a publish is delivered on this instance only and its stage fails.
	 */
	private int maxPendingPublishes = 10_000;

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public int getRelayQueueLimit() {
		return this.relayQueueLimit;
	}

	public void setRelayQueueLimit(int relayQueueLimit) {
		this.relayQueueLimit = relayQueueLimit;
	}

	public int getMaxPendingPublishes() {
		return this.maxPendingPublishes;
	}

	public void setMaxPendingPublishes(int maxPendingPublishes) {
		this.maxPendingPublishes = maxPendingPublishes;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

}
