package io.pikku.metrics;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelListener;
import io.pikku.channel.runtime.ConnectionInfo;
import io.pikku.eventhub.EventHubStatistics;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of Pikku channels. Tag values come from the channel definitions and
 * error codes, never from a client: no user id, topic, room or connection id.
 * <ul>
 * <li>{@code pikku.connections} (gauge, tag {@code channel}): open connections on this
 * instance;</li>
 * <li>{@code pikku.messages.in}, {@code pikku.messages.out} (counters, tag
 * {@code channel});</li>
 * <li>{@code pikku.calls} (timer, tags {@code channel}, {@code action}, {@code outcome}):
 * from a frame's arrival to its answer; {@code outcome} is {@code success} or the error
 * code, {@code action} is {@code unknown} for frames that named no wired action;</li>
 * <li>{@code pikku.errors} (counter, tag {@code code});</li>
 * <li>the EventHub's meters, see {@link #bind(EventHubStatistics)}.</li>
 * </ul>
 */
public final class PikkuMetrics implements ChannelListener {

	private final MeterRegistry registry;

	private final Map<String, ChannelMeters> channels = new ConcurrentHashMap<>();

	private final Map<String, Counter> errors = new ConcurrentHashMap<>();

	/**
	 * The meters of the channels known at start, tried by identity before the map: a
	 * runtime names a channel with its definition's string in every frame.
	 */
	private final ChannelMeters[] known;

	/**
	 * Meters for the given channels, registered at once so that they show before the
	 * first connection.
	 * @param registry where the meters go
	 * @param definitions the channels
	 */
	public PikkuMetrics(MeterRegistry registry, Collection<? extends ChannelDefinition<?>> definitions) {
		this.registry = registry;
		for (ChannelDefinition<?> definition : definitions) {
			this.channels.computeIfAbsent(definition.name(), this::newMeters);
		}
		this.known = this.channels.values().toArray(ChannelMeters[]::new);
	}

	/**
	 * Adds the EventHub's meters: {@code pikku.eventhub.published} and
	 * {@code pikku.eventhub.delivered} (counters) and, for a hub that relays between
	 * instances ({@link EventHubStatistics#relays()}), the relay's:
	 * {@code pikku.eventhub.relay.lag} (timer: from the publish on another instance to
	 * its arrival here), {@code pikku.eventhub.relay.received},
	 * {@code pikku.eventhub.relay.failed} and {@code pikku.eventhub.relay.dropped}
	 * (counters), {@code pikku.eventhub.relay.queued} (gauge: publishes from other
	 * instances waiting for delivery here) and {@code pikku.eventhub.relay.pending}
	 * (gauge: this instance's publishes waiting for Redis).
	 * @param statistics the hub's counts
	 */
	public void bind(EventHubStatistics statistics) {
		FunctionCounter.builder("pikku.eventhub.published", statistics, EventHubStatistics::published)
			.description("Publishes made on this instance")
			.register(this.registry);
		FunctionCounter.builder("pikku.eventhub.delivered", statistics, EventHubStatistics::delivered)
			.description("Deliveries to connections of this instance")
			.register(this.registry);
		if (!statistics.relays()) {
			return;
		}
		Timer lag = Timer.builder("pikku.eventhub.relay.lag")
			.description("Time from a publish on another instance to its arrival here")
			.register(this.registry);
		statistics.onRelayLag(lag::record);
		FunctionCounter.builder("pikku.eventhub.relay.received", statistics, EventHubStatistics::relayReceived)
			.description("Publishes from other instances that arrived for this instance's topics")
			.register(this.registry);
		FunctionCounter.builder("pikku.eventhub.relay.failed", statistics, EventHubStatistics::relayFailed)
			.description("Publishes of this instance that could not be relayed to the other instances")
			.register(this.registry);
		FunctionCounter.builder("pikku.eventhub.relay.dropped", statistics, EventHubStatistics::relayDropped)
			.description("Publishes from other instances dropped here: behind by more than the relay queue, "
					+ "or arrived twice or out of order")
			.register(this.registry);
		Gauge.builder("pikku.eventhub.relay.queued", statistics, EventHubStatistics::relayQueued)
			.description("Publishes from other instances waiting for delivery here")
			.register(this.registry);
		Gauge.builder("pikku.eventhub.relay.pending", statistics, EventHubStatistics::relayPending)
			.description("Publishes of this instance waiting for Redis")
			.register(this.registry);
	}

	private ChannelMeters meters(String channel) {
		for (ChannelMeters meters : this.known) {
			if (meters.channel == channel) {
				return meters;
			}
		}
		ChannelMeters meters = this.channels.get(channel);
		return (meters != null) ? meters : this.channels.computeIfAbsent(channel, this::newMeters);
	}

	private ChannelMeters newMeters(String channel) {
		AtomicInteger connections = new AtomicInteger();
		Gauge.builder("pikku.connections", connections, AtomicInteger::get)
			.description("Open connections on this instance")
			.tag("channel", channel)
			.register(this.registry);
		Counter in = Counter.builder("pikku.messages.in")
			.description("Frames received")
			.tag("channel", channel)
			.register(this.registry);
		Counter out = Counter.builder("pikku.messages.out")
			.description("Messages queued for clients")
			.tag("channel", channel)
			.register(this.registry);
		return new ChannelMeters(channel, connections, in, out);
	}

	@Override
	public void opened(ConnectionInfo connection) {
		meters(connection.channelName()).connections.incrementAndGet();
	}

	@Override
	public void closed(ConnectionInfo connection) {
		meters(connection.channelName()).connections.decrementAndGet();
	}

	@Override
	public void received(ConnectionInfo connection) {
		meters(connection.channelName()).in.increment();
	}

	@Override
	public void sent(ConnectionInfo connection) {
		meters(connection.channelName()).out.increment();
	}

	@Override
	public void called(ConnectionInfo connection, String action, String outcome, long nanos) {
		meters(connection.channelName()).call(action, outcome).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void failed(ConnectionInfo connection, String code) {
		Counter counter = this.errors.get(code);
		if (counter == null) {
			counter = this.errors.computeIfAbsent(code,
					(name) -> Counter.builder("pikku.errors")
						.description("Errors answered to clients")
						.tag("code", name)
						.register(this.registry));
		}
		counter.increment();
	}

	/**
	 * The meters of one channel, found by its name: nothing is allocated on the way to
	 * them.
	 */
	private final class ChannelMeters {

		private final String channel;

		private final AtomicInteger connections;

		private final Counter in;

		private final Counter out;

		/** The timers of each action. */
		private final Map<String, ActionTimers> calls = new ConcurrentHashMap<>();

		ChannelMeters(String channel, AtomicInteger connections, Counter in, Counter out) {
			this.channel = channel;
			this.connections = connections;
			this.in = in;
			this.out = out;
		}

		Timer call(String action, String outcome) {
			ActionTimers timers = this.calls.get(action);
			if (timers == null) {
				timers = this.calls.computeIfAbsent(action, (name) -> new ActionTimers(this.channel, name));
			}
			return timers.timer(outcome);
		}

	}

	/**
	 * The timers of one action: its successes' at hand, its errors' by code.
	 */
	private final class ActionTimers {

		private final String channel;

		private final String action;

		/** Registered with the first success (registering again finds the same timer). */
		private volatile @Nullable Timer success;

		private final Map<String, Timer> errors = new ConcurrentHashMap<>();

		ActionTimers(String channel, String action) {
			this.channel = channel;
			this.action = action;
		}

		Timer timer(String outcome) {
			if (outcome.equals(ChannelListener.SUCCESS)) {
				Timer success = this.success;
				if (success == null) {
					success = register(outcome);
					this.success = success;
				}
				return success;
			}
			Timer timer = this.errors.get(outcome);
			return (timer != null) ? timer : this.errors.computeIfAbsent(outcome, this::register);
		}

		private Timer register(String outcome) {
			return Timer.builder("pikku.calls")
				.description("Calls from a frame's arrival to its answer")
				.tag("channel", this.channel)
				.tag("action", this.action)
				.tag("outcome", outcome)
				.register(PikkuMetrics.this.registry);
		}

	}

}
