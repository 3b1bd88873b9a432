package io.pikku.eventhub;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Counts of an EventHub, for metrics. The {@code relay} figures are those of a hub that
 * relays publishes between instances ({@link #relays()}); other hubs answer zero.
 */
public interface EventHubStatistics {

	/**
	 * How many publishes this instance has made.
	 * @return the count since start
	 */
	long published();

	/**
	 * How many deliveries this instance has made to its connections.
	 * @return the count since start
	 */
	long delivered();

	/**
	 * Receives how long publishes relayed from another instance took to arrive here, for
	 * hubs that relay between instances; others never call it.
	 * @param recorder called with the lag of relayed publishes, at least one per burst of
	 * publishes that arrive together on a topic
	 */
	default void onRelayLag(Consumer<Duration> recorder) {
	}

	/**
	 * Whether this hub relays publishes between instances, so that the relay figures mean
	 * something.
	 * @return whether it relays
	 */
	default boolean relays() {
		return false;
	}

	/**
	 * How many publishes from other instances have arrived for this instance's topics.
	 * @return the count since start
	 */
	default long relayReceived() {
		return 0;
	}

	/**
	 * How many publishes this instance could not relay to the other instances (Redis
	 * unreachable, too many relays pending, or lost in flight).
	 * @return the count since start
	 */
	default long relayFailed() {
		return 0;
	}

	/**
	 * How many publishes from other instances this instance dropped without delivering
	 * them: it fell behind by more than its relay queue holds (the oldest go first), or
	 * one arrived again or after a later one of the same publisher.
	 * @return the count since start
	 */
	default long relayDropped() {
		return 0;
	}

	/**
	 * How many publishes from other instances wait for delivery here right now.
	 * @return the depth of the relay queue
	 */
	default int relayQueued() {
		return 0;
	}

	/**
	 * How many of this instance's publishes wait for Redis right now.
	 * @return the relays written but not yet acknowledged
	 */
	default int relayPending() {
		return 0;
	}

}
