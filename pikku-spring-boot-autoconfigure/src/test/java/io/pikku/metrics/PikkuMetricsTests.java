package io.pikku.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelState;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelListener;
import io.pikku.channel.runtime.ConnectionInfo;
import io.pikku.eventhub.EventHubStatistics;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuMetrics}: the channels' meters and the EventHub's.
 */
class PikkuMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final PikkuMetrics metrics = new PikkuMetrics(this.registry, List.of());

	@Test
	void framesAreCountedPerChannelWhateverStringNamesIt() {
		ChannelDefinition<?> lobby = ChannelDefinition.builder("lobby", "/lobby")
			.auth(false)
			.action("hello", PikkuFunction.of(Void.class, (input, context) -> null))
			.build();
		PikkuMetrics metrics = new PikkuMetrics(this.registry, List.of(lobby));
		metrics.received(connection(lobby.name()));
		metrics.received(connection(new String("lobby")));
		metrics.received(connection("later"));
		metrics.sent(connection(lobby.name()));
		metrics.called(connection(new String("lobby")), "hello", ChannelListener.SUCCESS, 1_000);
		metrics.called(connection(lobby.name()), "hello", ChannelListener.SUCCESS, 1_000);
		metrics.called(connection(lobby.name()), "hello", "quota_exceeded", 1_000);
		assertThat(this.registry.get("pikku.messages.in").tag("channel", "lobby").counter().count()).isEqualTo(2);
		assertThat(this.registry.get("pikku.messages.in").tag("channel", "later").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("pikku.messages.out").tag("channel", "lobby").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("pikku.calls").tag("outcome", "success").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("pikku.calls").tag("outcome", "quota_exceeded").timer().count()).isEqualTo(1);
	}

	private static ConnectionInfo connection(String channel) {
		return new ConnectionInfo() {

			@Override
			public String channelId() {
				return "c1";
			}

			@Override
			public String channelName() {
				return channel;
			}

			@Override
			public Object openingData() {
				return Map.of();
			}

			@Override
			public @Nullable PikkuSession session() {
				return null;
			}

			@Override
			public ChannelState state() {
				return ChannelState.OPEN;
			}

		};
	}

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
