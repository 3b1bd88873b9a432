package io.pikku.autoconfigure.eventhub.redis;

import java.time.Duration;
import java.util.UUID;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.eventhub.redis.RedisKeys;
import io.pikku.eventhub.redis.RelayLimits;
import io.pikku.eventhub.redis.ShardedPubSubUnsupportedException;
import io.pikku.store.ChannelStore;
import io.pikku.store.redis.RedisChannelStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Auto-configuration of the Redis {@link EventHub} and {@link ChannelStore}: used when a
 * {@link ReactiveRedisConnectionFactory} exists (Spring Boot makes one from
 * {@code spring.data.redis.*}), unless {@code pikku.eventhub.type=memory}. The Redis
 * EventHub reads presence from the Redis channel store, so it is used only with it: an
 * application that defines its own {@link ChannelStore} gets the in-memory EventHub
 * unless it defines an EventHub too.
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, RedisEventHub.class, JsonMapper.class })
@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "pikku.eventhub.type", havingValue = "redis", matchIfMissing = true)
@EnableConfigurationProperties({ PikkuProperties.class, PikkuRedisProperties.class })
public final class PikkuRedisAutoConfiguration {

	private final String instanceId = UUID.randomUUID().toString();

	@Bean
	@ConditionalOnMissingBean(ChannelStore.class)
	RedisChannelStore pikkuChannelStore(ReactiveRedisConnectionFactory connectionFactory,
			ObjectProvider<JsonMapper> jsonMapper, PikkuProperties properties, PikkuRedisProperties redisProperties) {
		return new RedisChannelStore(new ReactiveStringRedisTemplate(connectionFactory), mapper(jsonMapper),
				keys(redisProperties), this.instanceId, instanceTtl(properties));
	}

	@Bean
	@ConditionalOnMissingBean(EventHub.class)
	@ConditionalOnBean(RedisChannelStore.class)
	RedisEventHub pikkuEventHub(ReactiveRedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> jsonMapper,
			PikkuProperties properties, PikkuRedisProperties redisProperties) {
		RedisEventHub eventHub;
		try {
			eventHub = new RedisEventHub(new ReactiveStringRedisTemplate(connectionFactory), mapper(jsonMapper),
					keys(redisProperties), this.instanceId, instanceTtl(properties), commandTimeout(redisProperties),
					limits(redisProperties));
		}
		catch (ShardedPubSubUnsupportedException ex) {
			throw new InvalidConfigurationPropertyValueException("spring.data.redis.cluster.nodes",
					clusterNodes(connectionFactory), ex.getMessage());
		}
		eventHub.setSubscriptionLimit(properties.getEventhub().toSubscriptionLimit());
		return eventHub;
	}

	@Bean
	RedisPresenceHeartbeat pikkuRedisPresenceHeartbeat(ObjectProvider<RedisEventHub> eventHub,
			ObjectProvider<RedisChannelStore> channelStore, PikkuProperties properties) {
		return new RedisPresenceHeartbeat(eventHub.getIfAvailable(), channelStore.getIfAvailable(),
				instanceTtl(properties));
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

	private static RedisKeys keys(PikkuRedisProperties properties) {
		String prefix = properties.getKeyPrefix();
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.eventhub.redis.key-prefix", prefix,
					"It must not contain '{' or '}', which Redis Cluster reads as a hash tag.");
		}
		return new RedisKeys(prefix);
	}

	private static Duration commandTimeout(PikkuRedisProperties properties) {
		Duration timeout = properties.getCommandTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("pikku.eventhub.redis.command-timeout", timeout,
					"It must be positive.");
		}
		return timeout;
	}

	private static RelayLimits limits(PikkuRedisProperties properties) {
		if (properties.getRelayQueueLimit() < 1) {
			throw new InvalidConfigurationPropertyValueException("pikku.eventhub.redis.relay-queue-limit",
					properties.getRelayQueueLimit(), "It must be at least 1.");
		}
		if (properties.getMaxPendingPublishes() < 1) {
			throw new InvalidConfigurationPropertyValueException("pikku.eventhub.redis.max-pending-publishes",
					properties.getMaxPendingPublishes(), "It must be at least 1.");
		}
		return new RelayLimits(properties.getRelayQueueLimit(), properties.getMaxPendingPublishes());
	}

	private static String clusterNodes(ReactiveRedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getClusterConfiguration() != null) {
			return lettuce.getClusterConfiguration()
				.getClusterNodes()
				.stream()
				.map(Object::toString)
				.collect(java.util.stream.Collectors.joining(","));
		}
		return "";
	}

	private static Duration instanceTtl(PikkuProperties properties) {
		Duration ttl = properties.getInstanceTtl();
		if (ttl.compareTo(Duration.ofMillis(300)) < 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.instance-ttl", ttl,
					"It must be at least 300ms.");
		}
		return ttl;
	}

}
