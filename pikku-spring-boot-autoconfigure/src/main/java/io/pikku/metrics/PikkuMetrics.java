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
import io.pikku.channel.runtime.OpenChannel;
import io.pikku.eventhub.EventHubStatistics;

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

	private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

	private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();

	private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();

	private final Map<String, Timer> calls = new ConcurrentHashMap<>();

	private final Map<String, Counter> errors = new ConcurrentHashMap<>();

	/**
	 * Meters for the given channels, registered at once so that they show before the
	 * first connection.
	 * @param registry where the meters go
	 * @param definitions the channels
	 */
	public PikkuMetrics(MeterRegistry registry, Collection<? extends ChannelDefinition<?>> definitions) {
		this.registry = registry;
		for (ChannelDefinition<?> definition : definitions) {
			connections(definition.name());
			in(definition.name());
			out(definition.name());
		}
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

	private AtomicInteger connections(String channel) {
		return this.connections.computeIfAbsent(channel, (name) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("pikku.connections", count, AtomicInteger::get)
				.description("Open connections on this instance")
				.tag("channel", name)
				.register(this.registry);
			return count;
		});
	}

	private Counter in(String channel) {
		return this.messagesIn.computeIfAbsent(channel,
				(name) -> Counter.builder("pikku.messages.in")
					.description("Frames received")
					.tag("channel", name)
					.register(this.registry));
	}

	private Counter out(String channel) {
		return this.messagesOut.computeIfAbsent(channel,
				(name) -> Counter.builder("pikku.messages.out")
					.description("Messages queued for clients")
					.tag("channel", name)
					.register(this.registry));
	}

	@Override
	public void opened(OpenChannel channel) {
		connections(channel.name()).incrementAndGet();
	}

	@Override
	public void closed(OpenChannel channel) {
		connections(channel.name()).decrementAndGet();
	}

	@Override
	public void received(OpenChannel channel) {
		in(channel.name()).increment();
	}

	@Override
	public void sent(OpenChannel channel) {
		out(channel.name()).increment();
	}

	@Override
	public void called(OpenChannel channel, String action, String outcome, long nanos) {
		String key = channel.name() + '\u0000' + action + '\u0000' + outcome;
		this.calls
			.computeIfAbsent(key,
					(ignored) -> Timer.builder("pikku.calls")
						.description("Calls from a frame's arrival to its answer")
						.tag("channel", channel.name())
						.tag("action", action)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void failed(OpenChannel channel, String code) {
		this.errors
			.computeIfAbsent(code,
					(name) -> Counter.builder("pikku.errors")
						.description("Errors answered to clients")
						.tag("code", name)
						.register(this.registry))
			.increment();
	}

}
