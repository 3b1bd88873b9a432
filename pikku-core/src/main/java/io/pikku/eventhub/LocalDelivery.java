package io.pikku.eventhub;

/**
 * The connections of this instance, as an {@link EventHub} delivers to them.
 */
@FunctionalInterface
public interface LocalDelivery {

	/**
	 * Delivers a message to a connection of this instance.
	 * @param channelId the connection
	 * @param delivery the message
	 * @return {@code false} if no such connection is open here
	 */
	boolean deliver(String channelId, Delivery delivery);

	/**
	 * Where deliveries to one connection go, for a hub that keeps its subscribers in
	 * memory: found once, when the connection subscribes, rather than on every delivery.
	 * Unless overridden, each delivery finds the connection again with
	 * {@link #deliver(String, Delivery)}.
	 * @param channelId the connection
	 * @return its recipient, which answers {@code false} once the connection is not open
	 * here
	 */
	default Recipient recipient(String channelId) {
		return (delivery) -> deliver(channelId, delivery);
	}

	/**
	 * One connection of this instance, as an {@link EventHub} delivers to it.
	 */
	@FunctionalInterface
	interface Recipient {

		/**
		 * Delivers a message to the connection.
		 * @param delivery the message
		 * @return {@code false} if the connection is not open here
		 */
		boolean deliver(Delivery delivery);

	}

}
