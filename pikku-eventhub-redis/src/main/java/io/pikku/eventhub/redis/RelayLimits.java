package io.pikku.eventhub.redis;

/**
 * How much the Redis EventHub holds for its relays between instances, so that an instance
 * that falls behind, or a Redis that does, never grows its memory without bound.
 *
 * @param queue how many publishes from other instances may wait for delivery on this
 * instance; past it, the oldest waiting one of the topic is dropped (and counted)
 * @param pendingPublishes how many of this instance's publishes may await Redis; past it,
 * a publish is delivered on this instance only and its stage fails
 */
public record RelayLimits(int queue, int pendingPublishes) {

	/** 10,000 waiting for delivery, 10,000 awaiting Redis. */
	public static final RelayLimits DEFAULT = new RelayLimits(10_000, 10_000);

	public RelayLimits {
		if (queue < 1) {
			throw new IllegalArgumentException("The relay queue must hold at least 1 publish, not " + queue);
		}
		if (pendingPublishes < 1) {
			throw new IllegalArgumentException(
					"At least 1 publish must be allowed to await Redis, not " + pendingPublishes);
		}
	}

}
