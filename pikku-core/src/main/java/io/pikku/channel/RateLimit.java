package io.pikku.channel;

/**
 * How many messages a connection may send: a sustained rate and a burst. Over it, a call
 * is answered {@code rate_limited} with a retry hint ({@code details.retryAfterMs}) and
 * the connection stays open.
 *
 * @param messagesPerSecond the sustained rate
 * @param burst how many messages may come at once
 */
public record RateLimit(long messagesPerSecond, long burst) {

	public RateLimit {
		if (messagesPerSecond <= 0) {
			throw new IllegalArgumentException("A rate limit needs a positive number of messages per second");
		}
		if (burst <= 0) {
			throw new IllegalArgumentException("A rate limit needs a positive burst");
		}
	}

}
