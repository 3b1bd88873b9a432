package io.pikku.channel.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuException;
import io.pikku.channel.RateLimit;
import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;

/**
 * The rate limits of one connection: a token bucket for the connection, and one for each
 * action that has a limit of its own, made when first called.
 */
final class ConnectionRateLimiter {

	private final @Nullable Bucket connection;

	private final Map<String, Bucket> actions = new ConcurrentHashMap<>();

	ConnectionRateLimiter(@Nullable RateLimit limit) {
		this.connection = bucket(limit);
	}

	/**
	 * Takes one frame from the action's own bucket, or the connection's.
	 * @param action the action the frame names, or {@code null}
	 * @return the error to answer if over the limit, or {@code null}
	 */
	@Nullable PikkuException take(@Nullable CompiledAction action) {
		Bucket bucket = (action != null && action.rateLimit() != null) ? this.actions.computeIfAbsent(
				action.routingProperty() + ":" + action.name(), (key) -> bucket(action.rateLimit())) : this.connection;
		if (bucket == null) {
			return null;
		}
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return null;
		}
		long retryAfterMs = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999) / 1_000_000);
		return new PikkuException(ChannelErrorCodes.RATE_LIMITED, "Too many messages: retry in " + retryAfterMs + " ms",
				Map.of("retryAfterMs", retryAfterMs));
	}

	private static @Nullable Bucket bucket(@Nullable RateLimit limit) {
		if (limit == null) {
			return null;
		}
		return Bucket.builder()
			.addLimit(Bandwidth.builder()
				.capacity(limit.burst())
				.refillGreedy(limit.messagesPerSecond(), Duration.ofSeconds(1))
				.build())
			.build();
	}

}
