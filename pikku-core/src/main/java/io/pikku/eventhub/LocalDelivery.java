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

}
