package io.pikku.autoconfigure.eventhub.redis;

import io.pikku.eventhub.redis.RedisEventHub;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Redis EventHub's health indicator ({@code pikkuEventHub}).
 * Its own auto-configuration, after the one that makes the hub, so that the condition on
 * the hub sees it.
 */
@AutoConfiguration(after = PikkuRedisAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, RedisEventHub.class })
@ConditionalOnBean(RedisEventHub.class)
public final class PikkuRedisHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "pikkuEventHubHealthIndicator")
	RedisEventHubHealthIndicator pikkuEventHubHealthIndicator(RedisEventHub eventHub) {
		return new RedisEventHubHealthIndicator(eventHub);
	}

}
