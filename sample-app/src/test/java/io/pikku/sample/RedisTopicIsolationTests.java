package io.pikku.sample;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link TopicIsolationTests} across two instances of the sample on a real Redis: the
 * attacker on one, the victims on the other.
 */
class RedisTopicIsolationTests extends TopicIsolationTests {

	private static EmbeddedRedis redis;

	private static ConfigurableApplicationContext attacker;

	private static ConfigurableApplicationContext victims;

	@BeforeAll
	static void startRedisAndTwoInstances() {
		start("servlet");
	}

	static void start(String stack) {
		redis = EmbeddedRedis.start();
		attacker = start(stack, redis.port());
		victims = start(stack, redis.port());
	}

	private static ConfigurableApplicationContext start(String stack, int redisPort) {
		return new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.main.web-application-type=" + stack, "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redisPort);
	}

	@AfterAll
	static void stopInstancesAndRedis() {
		try {
			if (attacker != null) {
				attacker.close();
			}
			if (victims != null) {
				victims.close();
			}
		}
		finally {
			if (redis != null) {
				redis.close();
			}
		}
	}

	@Override
	protected int attackerPort() {
		return port(attacker);
	}

	@Override
	protected int victimPort() {
		return port(victims);
	}

	@Override
	protected ChannelRuntime attackerRuntime() {
		return attacker.getBean(ChannelRuntime.class);
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
