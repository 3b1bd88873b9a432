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
	 * applications can share one Redis.
	 */
	private String keyPrefix = "pikku:";

	/**
	 * How long a publish or subscribe waits for Redis before it fails; while Redis is
	 * unreachable, local delivery goes on and relays fail after this time.
	 */
	private Duration commandTimeout = Duration.ofSeconds(2);

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

}
