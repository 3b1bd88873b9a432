package io.pikku.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.pikku.test.TestRedis;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample under the {@code redis} profile on a real Redis: the public
 * {@code /actuator/health} includes the Redis EventHub ({@code pikkuEventHub}), which
 * goes down with Redis and comes back with it.
 */
class RedisHealthTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static TestRedis redis;

	private static boolean redisRunning;

	private static ConfigurableApplicationContext instance;

	private static int port;

	@BeforeAll
	static void startRedisAndTheSample() {
		redis = TestRedis.start();
		redisRunning = true;
		// As command-line arguments: default properties rank below application.yml,
		// whose redis profile sets the host and port itself. Details only add to what the
		// contract's health shows; the statuses are the same without them.
		instance = new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--management.endpoint.health.show-details=always");
		Integer localPort = instance.getEnvironment().getProperty("local.server.port", Integer.class);
		assertThat(localPort).isNotNull().isPositive();
		port = localPort;
	}

	@AfterEach
	void redisRunsAgain() {
		if (!redisRunning) {
			redis.restart();
			redisRunning = true;
		}
	}

	@AfterAll
	static void stopTheSampleAndRedis() {
		try {
			if (instance != null) {
				instance.close();
			}
		}
		finally {
			if (redis != null) {
				redis.close();
			}
		}
	}

	@Test
	void publicHealthIncludesTheEventHubWhichFollowsRedisDownAndBackUp() throws Exception {
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + port + "/echo")) {
			// a topic with a local subscriber: up means that its relay is listened to
			assertThat(client.call("{\"action\":\"subscribe\",\"topic\":\"health\"}").path("subscribed").booleanValue())
				.isTrue();
			JsonNode health = health("/actuator/health", 200);
			assertThat(health.path("status").stringValue()).as(health.toString()).isEqualTo("UP");
			assertThat(health.path("components").has("pikkuEventHub")).as(health.toString()).isTrue();
			JsonNode up = health.path("components").path("pikkuEventHub");
			assertThat(up.path("status").stringValue()).as(health.toString()).isEqualTo("UP");
			assertThat(up.path("details").path("redis").stringValue()).isEqualTo("PONG");
			assertThat(up.path("details").path("listening").booleanValue()).isTrue();
			// "health" only: the runtime's messages to users travel on no topic
			assertThat(up.path("details").path("topics").intValue()).isEqualTo(1);
			stopRedis();
			await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				JsonNode down = health("/actuator/health/pikkuEventHub", 503);
				assertThat(down.path("status").stringValue()).as(down.toString()).isEqualTo("DOWN");
			});
			restartRedis();
			await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				JsonNode upAgain = health("/actuator/health/pikkuEventHub", 200);
				assertThat(upAgain.path("status").stringValue()).as(upAgain.toString()).isEqualTo("UP");
				assertThat(upAgain.path("details").path("listening").booleanValue()).isTrue();
			});
			JsonNode recovered = health("/actuator/health", 200);
			assertThat(recovered.path("status").stringValue()).as(recovered.toString()).isEqualTo("UP");
			assertThat(eventHubStatus(recovered)).isEqualTo("UP");
			assertThat(client.call("{\"action\":\"echo\",\"text\":\"still here\"}").path("text").stringValue())
				.isEqualTo("still here");
		}
	}

	@Test
	void publicHealthAnswersDownPromptlyWhileRedisIsDown() throws Exception {
		assertThat(eventHubStatus(health("/actuator/health", 200))).isEqualTo("UP");
		stopRedis();
		await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			JsonNode health = health("/actuator/health", 503);
			assertThat(health.path("status").stringValue()).as(health.toString()).isEqualTo("DOWN");
			assertThat(eventHubStatus(health)).isEqualTo("DOWN");
		});
	}

	private static String eventHubStatus(JsonNode health) {
		assertThat(health.path("components").has("pikkuEventHub")).as(health.toString()).isTrue();
		return health.path("components").path("pikkuEventHub").path("status").stringValue();
	}

	private static void stopRedis() {
		redisRunning = false;
		redis.stop();
	}

	private static void restartRedis() {
		redis.restart();
		redisRunning = true;
	}

	/**
	 * Gets a health path without credentials, within 10 seconds, as a probe would.
	 */
	private static JsonNode health(String path, int expectedStatus) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		return SampleLogin.json(response.body());
	}

}
