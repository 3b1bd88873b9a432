package io.pikku.metrics;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pikku.eventhub.EventHubStatistics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the EventHub meters of {@link PikkuMetrics}.
 */
class PikkuMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final PikkuMetrics metrics = new PikkuMetrics(this.registry, List.of());

	@Test
	void aHubThatRelaysGetsTheRelayMeters() {
		RelayingHub hub = new RelayingHub();
		this.metrics.bind(hub);
		hub.lag.accept(Duration.ofMillis(3));
		assertThat(this.registry.get("pikku.eventhub.published").functionCounter().count()).isEqualTo(7);
		assertThat(this.registry.get("pikku.eventhub.delivered").functionCounter().count()).isEqualTo(70);
		assertThat(this.registry.get("pikku.eventhub.relay.received").functionCounter().count()).isEqualTo(5);
		assertThat(this.registry.get("pikku.eventhub.relay.failed").functionCounter().count()).isEqualTo(2);
		assertThat(this.registry.get("pikku.eventhub.relay.dropped").functionCounter().count()).isEqualTo(4);
		assertThat(this.registry.get("pikku.eventhub.relay.queued").gauge().value()).isEqualTo(9);
		assertThat(this.registry.get("pikku.eventhub.relay.pending").gauge().value()).isEqualTo(11);
		assertThat(this.registry.get("pikku.eventhub.relay.lag").timer().count()).isEqualTo(1);
	}

	@Test
	void aHubThatDoesNotRelayGetsNoRelayMeters() {
		this.metrics.bind(new EventHubStatistics() {

			@Override
			public long published() {
				return 1;
			}

			@Override
			public long delivered() {
				return 2;
			}

		});
		assertThat(this.registry.get("pikku.eventhub.published").functionCounter().count()).isEqualTo(1);
		assertThat(this.registry.find("pikku.eventhub.relay.lag").timer()).isNull();
		assertThat(this.registry.find("pikku.eventhub.relay.queued").gauge()).isNull();
	}

	private static final class RelayingHub implements EventHubStatistics {

		Consumer<Duration> lag = (ignored) -> {
		};

		@Override
		public long published() {
			return 7;
		}

		@Override
		public long delivered() {
			return 70;
		}

		@Override
		public void onRelayLag(Consumer<Duration> recorder) {
			this.lag = recorder;
		}

		@Override
		public boolean relays() {
			return true;
		}

		@Override
		public long relayReceived() {
			return 5;
		}

		@Override
		public long relayFailed() {
			return 2;
		}

		@Override
		public long relayDropped() {
			return 4;
		}

		@Override
		public int relayQueued() {
			return 9;
		}

		@Override
		public int relayPending() {
			return 11;
		}

	}

}
