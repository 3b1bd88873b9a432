package io.pikku.autoconfigure.eventhub.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.InMemoryEventHub;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.eventhub.redis.RedisKeys;
import io.pikku.eventhub.redis.RelayLimits;
import io.pikku.store.ChannelRecord;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.store.redis.RedisChannelStore;
import io.pikku.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PikkuRedisAutoConfiguration}, against a real Redis server.
 */
@ExtendWith(OutputCaptureExtension.class)
class PikkuRedisAutoConfigurationTests {

	private static TestRedis redis;

	private static ApplicationContextRunner contextRunner;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
		contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					PikkuRedisAutoConfiguration.class, PikkuAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
		return stage.toCompletableFuture().join();
	}

	private static String uniquePrefix() {
		return "test-" + UUID.randomUUID() + ":";
	}

	@Test
	void theEventHubStopsBeforeRedisConnectionsCloseAndRelaysWhatItAccepted(CapturedOutput output) {
		String prefix = uniquePrefix();
		AtomicInteger received = new AtomicInteger();
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisPubSubConnection<String, byte[]> relays = client
			.connectPubSub(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
			relays.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, byte[] message) {
					received.incrementAndGet();
				}

			});
			relays.sync().subscribe(new RedisKeys(prefix).events("last"));
			contextRunner.withPropertyValues("pikku.eventhub.redis.key-prefix=" + prefix).run((context) -> {
				RedisEventHub hub = context.getBean(RedisEventHub.class);
				for (int n = 0; n < 2_000; n++) {
					join(hub.publish("last", null, Map.of("n", n)));
				}
			});
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received).hasValue(2_000));
		}
		finally {
			client.shutdown();
		}
		assertThat(output).doesNotContain("Connection is already closed");
	}

	@Test
	void redisEventHubAndChannelStoreAreUsedWhenRedisIsConfigured() {
		contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(EventHub.class).hasSingleBean(ChannelStore.class);
			assertThat(context.getBean(EventHub.class)).isInstanceOf(RedisEventHub.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(RedisChannelStore.class);
			assertThat(context).hasSingleBean(RedisPresenceHeartbeat.class);
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			assertThat(runtime.eventHub()).isSameAs(context.getBean(EventHub.class));
			assertThat(runtime.channelStore()).isSameAs(context.getBean(ChannelStore.class));
		});
	}

	@Test
	void eventHubTypeRedisIsAcceptedWhenRedisIsConfigured() {
		contextRunner.withPropertyValues("pikku.eventhub.type=redis").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EventHub.class)).isInstanceOf(RedisEventHub.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(RedisChannelStore.class);
		});
	}

	@Test
	void eventHubTypeMemoryKeepsEverythingInMemory() {
		contextRunner.withPropertyValues("pikku.eventhub.type=memory").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EventHub.class)).isInstanceOf(InMemoryEventHub.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(InMemoryChannelStore.class);
			assertThat(context).doesNotHaveBean(RedisPresenceHeartbeat.class);
			assertThat(context).doesNotHaveBean(RedisEventHub.class);
			assertThat(context).doesNotHaveBean(PikkuRedisProperties.class);
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			assertThat(runtime.eventHub()).isInstanceOf(InMemoryEventHub.class);
			assertThat(runtime.channelStore()).isInstanceOf(InMemoryChannelStore.class);
		});
	}

	@Test
	void withoutARedisConnectionFactoryEverythingFallsBackToMemory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuRedisAutoConfiguration.class,
					PikkuAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ReactiveRedisConnectionFactory.class);
				assertThat(context.getBean(EventHub.class)).isInstanceOf(InMemoryEventHub.class);
				assertThat(context.getBean(ChannelStore.class)).isInstanceOf(InMemoryChannelStore.class);
				assertThat(context).doesNotHaveBean(RedisPresenceHeartbeat.class);
				assertThat(context).hasSingleBean(ChannelRuntime.class);
			});
	}

	@Test
	void eventHubTypeRedisWithoutARedisConnectionFactoryFailsStartUp() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuRedisAutoConfiguration.class,
					PikkuAutoConfiguration.class))
			.withPropertyValues("pikku.eventhub.type=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("pikku.eventhub.type")
					.hasMessageContaining("RedisConnectionFactory");
			});
	}

	@Test
	void redisEventHubBacksOffWhenUserDefinesAnEventHubButTheRedisChannelStoreStays() {
		contextRunner.withUserConfiguration(UserEventHubConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(EventHub.class);
			assertThat(context.getBean(EventHub.class)).isSameAs(context.getBean("userEventHub"));
			assertThat(context).doesNotHaveBean(RedisEventHub.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(RedisChannelStore.class);
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			assertThat(runtime.eventHub()).isSameAs(context.getBean("userEventHub"));
			assertThat(runtime.channelStore()).isInstanceOf(RedisChannelStore.class);
		});
	}

	@Test
	void redisChannelStoreBacksOffWhenUserDefinesOne() {
		contextRunner.withUserConfiguration(UserChannelStoreConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ChannelStore.class);
			assertThat(context.getBean(ChannelStore.class)).isSameAs(context.getBean("userChannelStore"));
			assertThat(context.getBean(EventHub.class)).isInstanceOf(io.pikku.eventhub.InMemoryEventHub.class);
			assertThat(context.getBean(ChannelRuntime.class).channelStore())
				.isSameAs(context.getBean("userChannelStore"));
		});
	}

	@Test
	void keyPrefixIsUsedForEveryKeyWritten() {
		String prefix = uniquePrefix();
		contextRunner.withPropertyValues("pikku.eventhub.redis.key-prefix=" + prefix).run((context) -> {
			assertThat(context.getBean(PikkuRedisProperties.class).getKeyPrefix()).isEqualTo(prefix);
			ChannelStore store = context.getBean(ChannelStore.class);
			EventHub hub = context.getBean(EventHub.class);
			store.add(record("c1", "alice")).toCompletableFuture().join();
			hub.subscribe("lobby-" + prefix, "c1").toCompletableFuture().join();
			StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
			// the runtime's messages to users travel on a pub/sub channel, with no key
			assertThat(redisTemplate.keys(prefix + "*")).containsExactlyInAnyOrder(prefix + "channel:c1",
					new RedisKeys(prefix).topicMembers("lobby-" + prefix));
			assertThat(redisTemplate.keys("pikku:*lobby-" + prefix)).isEmpty();
			assertThat(hub.subscribers("lobby-" + prefix).toCompletableFuture().join())
				.containsExactly(new TopicSubscriber("c1", "alice"));
		});
	}

	@Test
	void commandTimeoutIsBound() {
		contextRunner.withPropertyValues("pikku.eventhub.redis.command-timeout=7s").run((context) -> {
			assertThat(context.getBean(PikkuRedisProperties.class).getCommandTimeout()).hasSeconds(7);
		});
	}

	@Test
	void relayLimitsAreBound() {
		contextRunner
			.withPropertyValues("pikku.eventhub.redis.relay-queue-limit=50",
					"pikku.eventhub.redis.max-pending-publishes=60")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PikkuRedisProperties properties = context.getBean(PikkuRedisProperties.class);
				assertThat(properties.getRelayQueueLimit()).isEqualTo(50);
				assertThat(properties.getMaxPendingPublishes()).isEqualTo(60);
			});
	}

	@Test
	void keyPrefixWithABraceFailsStartUp() {
		for (String prefix : List.of("{pikku}:", "pikku{", "pik}ku:")) {
			contextRunner.withPropertyValues("pikku.eventhub.redis.key-prefix=" + prefix)
				.run((context) -> assertInvalid(context, "pikku.eventhub.redis.key-prefix", "hash tag"));
		}
	}

	@Test
	void relayQueueLimitBelowOneFailsStartUp() {
		contextRunner.withPropertyValues("pikku.eventhub.redis.relay-queue-limit=0")
			.run((context) -> assertInvalid(context, "pikku.eventhub.redis.relay-queue-limit", "at least 1"));
	}

	@Test
	void maxPendingPublishesBelowOneFailsStartUp() {
		contextRunner.withPropertyValues("pikku.eventhub.redis.max-pending-publishes=-5")
			.run((context) -> assertInvalid(context, "pikku.eventhub.redis.max-pending-publishes", "at least 1"));
	}

	@Test
	void commandTimeoutThatIsNotPositiveFailsStartUp() {
		contextRunner.withPropertyValues("pikku.eventhub.redis.command-timeout=0s")
			.run((context) -> assertInvalid(context, "pikku.eventhub.redis.command-timeout", "positive"));
	}

	private static void assertInvalid(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context, String property,
			String reason) {
		assertThat(context).hasFailed();
		assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining(property)
			.hasMessageContaining(reason);
	}

	@Test
	void propertiesHaveDefaults() {
		contextRunner.run((context) -> {
			PikkuRedisProperties properties = context.getBean(PikkuRedisProperties.class);
			assertThat(properties.getKeyPrefix()).isEqualTo("pikku:");
			assertThat(properties.getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getRelayQueueLimit()).isEqualTo(RelayLimits.DEFAULT.queue());
			assertThat(properties.getMaxPendingPublishes()).isEqualTo(RelayLimits.DEFAULT.pendingPublishes());
			assertThat(context.getBean(PikkuProperties.class).getInstanceTtl()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void instanceTtlShorterThan300MillisecondsFailsStartUp() {
		contextRunner.withPropertyValues("pikku.instance-ttl=100ms").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("pikku.instance-ttl")
				.hasMessageContaining("300ms");
		});
	}

	@Test
	void instanceTtlIsTheExpiryOfWhatThisInstanceWrites() {
		String prefix = uniquePrefix();
		contextRunner.withPropertyValues("pikku.instance-ttl=20s", "pikku.eventhub.redis.key-prefix=" + prefix)
			.run((context) -> {
				context.getBean(ChannelStore.class).add(record("c1", "alice")).toCompletableFuture().join();
				Long ttl = context.getBean(StringRedisTemplate.class).getExpire(prefix + "channel:c1");
				assertThat(ttl).isBetween(15L, 20L);
			});
	}

	@Test
	void heartbeatKeepsRecordsAliveWhileTheContextRunsAndStopsWithIt() {
		String prefix = uniquePrefix();
		String key = prefix + "channel:c1";
		String members = new RedisKeys(prefix).topicMembers("lobby");
		contextRunner.withPropertyValues("pikku.instance-ttl=600ms", "pikku.eventhub.redis.key-prefix=" + prefix)
			.run((context) -> {
				StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
				context.getBean(ChannelStore.class).add(record("c1", "alice")).toCompletableFuture().join();
				context.getBean(EventHub.class).subscribe("lobby", "c1").toCompletableFuture().join();
				Thread.sleep(1800);
				assertThat(redisTemplate.hasKey(key)).isTrue();
				assertThat(redisTemplate.hasKey(members)).isTrue();
			});
		try (TestRedisClient client = new TestRedisClient()) {
			await().atMost(Duration.ofSeconds(3)).until(() -> !client.template.hasKey(key));
			assertThat(client.template.hasKey(members)).isFalse();
		}
	}

	@Test
	void redisChannelStoreRecordsStayAliveWhenUserDefinesAnEventHub() {
		String prefix = uniquePrefix();
		contextRunner.withUserConfiguration(UserEventHubConfiguration.class)
			.withPropertyValues("pikku.instance-ttl=600ms", "pikku.eventhub.redis.key-prefix=" + prefix)
			.run((context) -> {
				context.getBean(ChannelStore.class).add(record("c1", "alice")).toCompletableFuture().join();
				Thread.sleep(1800);
				assertThat(context.getBean(StringRedisTemplate.class).hasKey(prefix + "channel:c1")).isTrue();
			});
	}

	@Test
	void userDefinedChannelStoreGetsTheInMemoryEventHub() {
		contextRunner.withUserConfiguration(UserChannelStoreConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RedisEventHub.class);
			EventHub hub = context.getBean(EventHub.class);
			assertThat(hub).isInstanceOf(io.pikku.eventhub.InMemoryEventHub.class);
			context.getBean(ChannelStore.class).add(record("c1", "alice")).toCompletableFuture().join();
			hub.subscribe("lobby", "c1").toCompletableFuture().join();
			assertThat(hub.subscribers("lobby").toCompletableFuture().join())
				.containsExactly(new TopicSubscriber("c1", "alice"));
		});
	}

	@Test
	void nothingIsConfiguredWhenPikkuIsDisabled() {
		contextRunner.withPropertyValues("pikku.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ReactiveRedisConnectionFactory.class);
			assertThat(context).doesNotHaveBean(EventHub.class);
			assertThat(context).doesNotHaveBean(ChannelStore.class);
			assertThat(context).doesNotHaveBean(ChannelRuntime.class);
			assertThat(context).doesNotHaveBean(RedisPresenceHeartbeat.class);
			assertThat(context).doesNotHaveBean(RedisEventHub.class);
			assertThat(context).doesNotHaveBean(PikkuRedisProperties.class);
			assertThat(context).doesNotHaveBean(PikkuProperties.class);
		});
	}

	@Test
	void withoutReactiveRedisOnTheClasspathEverythingFallsBackToMemory() {
		contextRunner.withClassLoader(new FilteredClassLoader(ReactiveRedisConnectionFactory.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RedisEventHub.class);
			assertThat(context).doesNotHaveBean(RedisChannelStore.class);
			assertThat(context.getBean(EventHub.class)).isInstanceOf(InMemoryEventHub.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(InMemoryChannelStore.class);
		});
	}

	@Test
	void withoutPikkuRedisOnTheClasspathEverythingFallsBackToMemory() {
		contextRunner.withClassLoader(new FilteredClassLoader(RedisEventHub.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EventHub.class)).isInstanceOf(InMemoryEventHub.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(InMemoryChannelStore.class);
		});
	}

	private static ChannelRecord record(String channelId, String userId) {
		return new ChannelRecord(channelId, "chat", JsonMapper.builder().build().readTree("{}"), userId, null, null);
	}

	/**
	 * A connection to the embedded server that outlives an application context.
	 */
	private static final class TestRedisClient implements AutoCloseable {

		private final LettuceConnectionFactory factory;

		private final StringRedisTemplate template;

		TestRedisClient() {
			this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
			this.factory.afterPropertiesSet();
			this.factory.start();
			this.template = new StringRedisTemplate(this.factory);
		}

		@Override
		public void close() {
			this.factory.destroy();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEventHubConfiguration {

		@Bean
		EventHub userEventHub() {
			return new InMemoryEventHub(JsonMapper.builder().build(), new InMemoryChannelStore());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserChannelStoreConfiguration {

		@Bean
		ChannelStore userChannelStore() {
			return new InMemoryChannelStore();
		}

	}

}
