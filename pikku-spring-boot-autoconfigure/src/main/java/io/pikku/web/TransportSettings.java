package io.pikku.web;

import java.time.Duration;
import java.util.List;

/**
 * The settings of a channel transport, the same on every web stack.
 *
 * @param allowedOriginPatterns origins allowed to connect from a browser; empty for same
 * origin only
 * @param sendTimeLimit the longest one outbound message may take to send
 * @param sendBufferLimit the most outbound data queued per connection
 * @param heartbeatInterval how often each connection is pinged
 * @param heartbeatTimeout how long a connection may stay silent before it is closed
 * @param shutdownTimeout how long shutdown waits for clients to answer the close
 * @param maxConnections how many connections this instance accepts; further upgrades are
 * refused with 503
 */
public record TransportSettings(List<String> allowedOriginPatterns, Duration sendTimeLimit, long sendBufferLimit,
		Duration heartbeatInterval, Duration heartbeatTimeout, Duration shutdownTimeout, int maxConnections) {

	/**
	 * Defaults for everything but origins, limits and the heartbeat.
	 * @param allowedOriginPatterns origins allowed to connect from a browser
	 * @param sendTimeLimit the longest one outbound message may take to send
	 * @param sendBufferLimit the most outbound data queued per connection
	 * @return the settings
	 */
	public static TransportSettings of(List<String> allowedOriginPatterns, Duration sendTimeLimit,
			long sendBufferLimit) {
		return new TransportSettings(allowedOriginPatterns, sendTimeLimit, sendBufferLimit, Duration.ofSeconds(25),
				Duration.ofSeconds(60), Duration.ofSeconds(5), Integer.MAX_VALUE);
	}

	public TransportSettings {
		allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
	}

}
