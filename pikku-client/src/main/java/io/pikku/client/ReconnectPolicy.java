package io.pikku.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a lost connection is opened again: after {@code initialDelay}, then after delays
 * growing by {@code multiplier} up to {@code maxDelay}, each with up to 20% random jitter
 * so that many clients do not come back at once, for at most {@code maxAttempts} attempts
 * in a row. A connection closed by the client, or refused at the handshake with a 4xx
 * status, is not opened again.
 *
 * @param initialDelay the delay before the first attempt
 * @param maxDelay the longest delay between attempts
 * @param multiplier how much the delay grows after each failed attempt, at least 1
 * @param maxAttempts attempts in a row before giving up, or {@code 0} to never reconnect
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, int maxAttempts) {

	/** Never reconnect: a lost connection stays closed. */
	public static final ReconnectPolicy NONE = new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1, 0);

	public ReconnectPolicy {
		if (initialDelay == null || initialDelay.isNegative()) {
			throw new IllegalArgumentException("The initial delay must not be negative");
		}
		if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
			throw new IllegalArgumentException("The maximum delay must be at least the initial delay");
		}
		if (!(multiplier >= 1)) {
			throw new IllegalArgumentException("The multiplier must be at least 1");
		}
		if (maxAttempts < 0) {
			throw new IllegalArgumentException("The number of attempts must not be negative");
		}
	}

	/**
	 * Exponential backoff: doubling from {@code initialDelay} up to {@code maxDelay},
	 * with no limit on the attempts.
	 * @param initialDelay the delay before the first attempt
	 * @param maxDelay the longest delay
	 * @return the policy
	 */
	public static ReconnectPolicy backoff(Duration initialDelay, Duration maxDelay) {
		return new ReconnectPolicy(initialDelay, maxDelay, 2, Integer.MAX_VALUE);
	}

	/**
	 * The same policy with a limit on attempts in a row.
	 * @param maxAttempts the limit, or {@code 0} to never reconnect
	 * @return the policy
	 */
	public ReconnectPolicy withMaxAttempts(int maxAttempts) {
		return new ReconnectPolicy(this.initialDelay, this.maxDelay, this.multiplier, maxAttempts);
	}

	/**
	 * Whether a lost connection is opened again at all.
	 * @return {@code false} for {@link #NONE}
	 */
	public boolean enabled() {
		return this.maxAttempts > 0;
	}

	/**
	 * The delay before an attempt.
	 * @param attempt the attempt, from 1
	 * @return the delay, with jitter
	 */
	public Duration delay(int attempt) {
		double millis = this.initialDelay.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		long capped = (long) Math.min(millis, this.maxDelay.toMillis());
		long jitter = (capped > 0) ? ThreadLocalRandom.current().nextLong(capped / 5 + 1) : 0;
		return Duration.ofMillis(capped - jitter);
	}

}
