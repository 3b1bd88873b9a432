package io.pikku.sample;

import java.util.Map;

import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.test.TestRedis;
import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample under the {@code redis} profile on a Redis container that Spring Boot
 * connects to through {@code @ServiceConnection}, tested with the ChannelTester: what a
 * user whose CI has Docker writes. Skipped without a Docker engine (this project's CI has
 * none: {@link RedisProfileTests} and {@link RedisHealthTests} then run on the embedded
 * Redis binary).
 */
@Testcontainers(disabledWithoutDocker = true)
@ActiveProfiles("redis")
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RedisServiceConnectionTests {

	@Container
	@ServiceConnection
	static GenericContainer<?> redis = new GenericContainer<>(TestRedis.IMAGE).withExposedPorts(6379);

	@LocalServerPort
	int port;

	@Autowired
	EventHub eventHub;

	@Autowired
	ChannelTester tester;

	@Test
	void chatRunsOnTheRedisOfTheServiceConnection() {
		assertThat(this.eventHub).isInstanceOf(RedisEventHub.class);
		ChannelTester.Connection alice = join("alice");
		ChannelTester.Connection bob = join("bob");
		alice.action("sendMessage").input(Map.of("message", "Hi")).execute().path("$.userId").isEqualTo("alice");
		bob.topic("room:containers").awaitNext().path("$.message").isEqualTo("Hi");
		bob.action("who")
			.execute()
			.path("$.users")
			.entityList(String.class)
			.isEqualTo(java.util.List.of("alice", "bob"));
	}

	private ChannelTester.Connection join(String user) {
		ChannelTester.Connection connection = this.tester.mutate()
			.bearerToken(SampleLogin.token(this.port, user))
			.build()
			.connect("/chat/containers");
		connection.nextMessage().path("$.welcome").isEqualTo("Welcome to containers!");
		return connection;
	}

}
