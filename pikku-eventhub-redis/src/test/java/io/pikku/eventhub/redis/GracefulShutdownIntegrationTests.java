package io.pikku.eventhub.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.pikku.test.TestRedis;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful shutdown of an instance on Redis, on either web stack: every client is told
 * 1001, and by the time the application context has closed, nothing of its connections is
 * left in Redis (no channel record, no topic membership), even when Redis is slow to
 * answer, and long before the records could have expired.
 */
@ParameterizedClass
@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
class GracefulShutdownIntegrationTests {

	@Parameter
	WebApplicationType stack;

	private static final int CLIENTS = 60;

	private static final Duration REDIS_PAUSE = Duration.ofMillis(1500);

	private final List<WebSocketTestClient> clients = new ArrayList<>();

	private TestRedis redis;

	private LettuceConnectionFactory connectionFactory;

	@AfterEach
	void stop() {
		this.clients.forEach(WebSocketTestClient::close);
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aStoppingInstanceRemovesItsChannelsFromRedisBeforeTheContextHasClosed() {
		this.redis = TestRedis.start();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		StringRedisTemplate redisTemplate = new StringRedisTemplate(this.connectionFactory);
		ConfigurableApplicationContext instance = new SpringApplicationBuilder(
				MultiInstanceIntegrationTests.TestApp.class)
			.web(this.stack)
			.properties("server.port=0", "server.shutdown=graceful", "spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(), "pikku.instance-ttl=60s",
					"spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
			.run();
		int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
		for (int i = 0; i < CLIENTS; i++) {
			String room = "room-" + (i % 4);
			WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + port + "/room/" + room);
			this.clients.add(client);
			assertThat(client.receive().toString()).isEqualTo("{\"joined\":\"" + room + "\"}");
			assertThat(client.call("{\"action\":\"login\",\"user\":\"user-" + i + "\"}").path("user").stringValue())
				.isEqualTo("user-" + i);
		}
		assertThat(redisTemplate.keys("pikku:channel:*")).hasSize(CLIENTS);
		assertThat(redisTemplate.opsForSet().size(new RedisKeys("pikku:").topicMembers("room:room-0")))
			.isEqualTo(CLIENTS / 4);
		Long ttl = redisTemplate.getExpire(new RedisKeys("pikku:").topicMembers("room:room-0"), TimeUnit.SECONDS);
		assertThat(ttl).as("nothing would expire during this test").isGreaterThan(30);

		// A slow Redis: writes wait for the pause, so the shutdown must wait for them.
		redisTemplate.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT",
				"PAUSE".getBytes(StandardCharsets.US_ASCII),
				String.valueOf(REDIS_PAUSE.toMillis()).getBytes(StandardCharsets.US_ASCII),
				"WRITE".getBytes(StandardCharsets.US_ASCII)));
		long started = System.nanoTime();
		instance.close();
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		assertThat(closeMillis).as("the shutdown waited for the paused writes")
			.isGreaterThanOrEqualTo(REDIS_PAUSE.toMillis() - 200);

		assertThat(redisTemplate.keys("pikku:*")).as("keys left in Redis right after the context closed").isEmpty();
		for (WebSocketTestClient client : this.clients) {
			assertThat(client.awaitClose().code()).isEqualTo(1001);
		}
		System.out.println("Graceful shutdown with " + CLIENTS + " connections on Redis took " + closeMillis
				+ " ms and left no key behind");
	}

}
