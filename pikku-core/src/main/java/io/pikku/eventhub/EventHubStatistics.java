package io.pikku.eventhub;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Counts of an EventHub, for metrics.
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
	 * Receives how long each publish relayed from another instance took to arrive here,
	 * for hubs that relay between instances; others never call it.
	 * @param recorder called once per relayed publish
	 */
	default void onRelayLag(Consumer<Duration> recorder) {
	}

}
