package io.pikku.sample;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link TopicIsolationTests} across two instances of the sample on a real Redis: the
 * attacker on one, the victims on the other.
 */
class RedisTopicIsolationTests extends TopicIsolationTests {

	private static TestRedis redis;

	private static ConfigurableApplicationContext attacker;

	private static ConfigurableApplicationContext victims;

	@BeforeAll
	static void startRedisAndTwoInstances() {
		start("servlet");
	}

	static void start(String stack) {
		redis = TestRedis.start();
		attacker = start(stack, redis);
		victims = start(stack, redis);
	}

	private static ConfigurableApplicationContext start(String stack, TestRedis server) {
		return new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.main.web-application-type=" + stack,
					"--spring.data.redis.host=" + server.host(), "--spring.data.redis.port=" + server.port());
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
