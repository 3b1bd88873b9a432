package io.pikku.autoconfigure.eventhub.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.eventhub.redis.RedisKeys;
import io.pikku.test.EmbeddedRedisCluster;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PikkuRedisAutoConfiguration} with {@code spring.data.redis.cluster.*},
 * against real Redis Clusters.
 */
class PikkuRedisClusterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				PikkuRedisAutoConfiguration.class, PikkuAutoConfiguration.class));

	@Test
	void aClusterRelaysThroughShardedPubSub() {
		try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 0)) {
			this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.nodesProperty())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					RedisEventHub hub = context.getBean(RedisEventHub.class);
					CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
					ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(
							context.getBean(ReactiveRedisConnectionFactory.class));
					try (RedisEventHub other = new RedisEventHub(template, JsonMapper.builder().build(),
							new RedisKeys("pikku:"), "other", Duration.ofSeconds(30), Duration.ofSeconds(2))) {
						other.bind((channelId, delivery) -> received.add(delivery.text()), (message) -> {
						});
						other.subscribe("room:a", "c1").toCompletableFuture().get(10, TimeUnit.SECONDS);
						((EventHub) hub).publish("room:a", null, Map.of("n", 1))
							.toCompletableFuture()
							.get(10, TimeUnit.SECONDS);
						await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
					}
					assertThat(received).containsExactly("{\"topic\":\"room:a\",\"n\":1}");
				});
		}
	}

	@Test
	void aClusterWithoutShardedPubSubFailsStartUp() {
		try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3, 0, "--rename-command", "SPUBLISH",
				"SPUBLISH_DISABLED")) {
			this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.nodesProperty())
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context).getFailure()
						.rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining("spring.data.redis.cluster.nodes")
						.hasMessageContaining("SPUBLISH")
						.hasMessageContaining("Redis 7.0");
				});
		}
	}

}
