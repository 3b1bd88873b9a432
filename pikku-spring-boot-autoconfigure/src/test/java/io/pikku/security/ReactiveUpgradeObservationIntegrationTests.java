package io.pikku.security;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the reactive stack, with actuator's observation registry and Spring Security in
 * front of the upgrade, the upgrade request's observations ({@code http.server.requests}
 * and Spring Security's) end with the upgrade, as on servlet, and the connection keeps
 * none of them (nor the exchange they hold) for its life.
 */
@SpringBootTest(classes = ReactiveUpgradeObservationIntegrationTests.ObservedChannels.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class ReactiveUpgradeObservationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	JwtEncoder jwtEncoder;

	@Autowired
	Observations observations;

	@Test
	void upgradeRequestObservationsEndWithTheUpgradeAndTheConnectionKeepsNoneOfThem() {
		String token = SecuredChannelIntegrationTests.token(this.jwtEncoder, "alice",
				Instant.now().plus(Duration.ofHours(1)), "USER");
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/secure",
				Map.of("Authorization", "Bearer " + token))) {
			assertThat(client.receive().toString()).isEqualTo("{\"userId\":\"alice\",\"contextUser\":\"alice\"}");
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(this.observations.stoppedNames()).contains("http.server.requests",
						"spring.security.filterchains", "spring.security.http.secured.requests");
				assertThat(this.observations.open).hasValue(0);
			});
			await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				System.gc();
				assertThat(this.observations.stoppedStillReachable()).isEmpty();
			});
			assertThat(client.call("{\"action\":\"whoami\"}").path("userId").stringValue()).isEqualTo("alice");
			assertThat(client.isClosed()).isFalse();
		}
	}

	/** The secured channels, with every observation followed. */
	@Configuration(proxyBeanMethods = false)
	@Import(SecuredChannels.class)
	static class ObservedChannels {

		@Bean
		Observations observations() {
			return new Observations();
		}

	}

	/**
	 * Counts the observations open and holds the stopped ones weakly, to tell whether
	 * anything still holds them.
	 */
	static final class Observations implements ObservationHandler<Observation.Context> {

		final AtomicInteger open = new AtomicInteger();

		private final Queue<Stopped> stopped = new ConcurrentLinkedQueue<>();

		@Override
		public void onStart(Observation.Context context) {
			this.open.incrementAndGet();
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(new Stopped(context.getName(), new WeakReference<>(context)));
			this.open.decrementAndGet();
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		List<String> stoppedNames() {
			return this.stopped.stream().map(Stopped::name).toList();
		}

		List<String> stoppedStillReachable() {
			return this.stopped.stream()
				.filter((stopped) -> stopped.context().get() != null)
				.map(Stopped::name)
				.toList();
		}

		private record Stopped(String name, WeakReference<Observation.Context> context) {
		}

	}

}
