package io.pikku.eventhub.redis;

/**
 * The Redis Cluster cannot carry Pikku's relays: it has no sharded pub/sub
 * ({@code SPUBLISH} and {@code SSUBSCRIBE}, Redis 7.0 and later), or they are disabled.
 */
public final class ShardedPubSubUnsupportedException extends IllegalStateException {

	ShardedPubSubUnsupportedException(String missing) {
		super("The Redis Cluster does not offer " + missing
				+ ": Pikku relays publishes between instances with sharded pub/sub, which needs Redis 7.0 or later "
				+ "with SPUBLISH, SSUBSCRIBE and SUNSUBSCRIBE enabled");
	}

}
