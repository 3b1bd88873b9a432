package io.pikku.eventhub.redis;

/**
 * A publish that could not be relayed to the other instances; it was delivered on this
 * instance only.
 */
public final class RelayRefusedException extends RuntimeException {

	private RelayRefusedException(String message) {
		// Thrown while Redis is unreachable, maybe thousands of times a second: no stack.
		super(message, null, false, false);
	}

	static RelayRefusedException notConnected() {
		return new RelayRefusedException(
				"Redis is unreachable: the publish was delivered on this instance only, not relayed");
	}

	static RelayRefusedException tooManyPending(int limit) {
		return new RelayRefusedException("More than " + limit
				+ " publishes await Redis (pikku.eventhub.redis.max-pending-publishes): the publish was delivered "
				+ "on this instance only, not relayed");
	}

}
