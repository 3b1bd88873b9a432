package io.pikku.eventhub.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.embedded.RedisSentinel;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;

/**
 * Every test of a single Redis, with the instances finding the master through a real
 * Sentinel ({@code spring.data.redis.sentinel.*}): the relay uses classic pub/sub there,
 * and Lettuce asks Sentinel for the master whenever it connects.
 */
class SentinelRedisEventHubTests extends RedisEventHubTests {

	private static RedisSentinel sentinel;

	private static int sentinelPort;

	@BeforeAll
	static void startSentinel() {
		sentinelPort = freePort();
		sentinel = RedisSentinel.builder()
			.port(sentinelPort)
			.masterPort(redis.port())
			.masterName("mymaster")
			.quorumSize(1)
			.build();
		sentinel.start();
	}

	@AfterAll
	static void stopSentinel() {
		if (sentinel != null) {
			sentinel.stop();
		}
	}

	@Override
	RedisConfiguration redisConfiguration() {
		return new RedisSentinelConfiguration("mymaster", Set.of("127.0.0.1:" + sentinelPort));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
