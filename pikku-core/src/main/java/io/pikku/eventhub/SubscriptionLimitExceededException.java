package io.pikku.eventhub;

/**
 * A connection tried to subscribe to more topics than its {@link SubscriptionLimit}; a
 * call that fails with it is answered {@code limit_exceeded}.
 */
public class SubscriptionLimitExceededException extends IllegalStateException {

	private final int limit;

	/**
	 * A new exception.
	 * @param limit the limit that was reached
	 */
	public SubscriptionLimitExceededException(int limit) {
		super("A connection may subscribe to at most " + limit + " topics");
		this.limit = limit;
	}

	/**
	 * The limit that was reached.
	 * @return the most topics per connection
	 */
	public int getLimit() {
		return this.limit;
	}

}
