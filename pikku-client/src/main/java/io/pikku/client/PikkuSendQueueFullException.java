package io.pikku.client;

/**
 * More frames are waiting to be sent on a connection than its send queue holds: the
 * caller sends faster than the network takes them. Nothing was queued.
 */
public class PikkuSendQueueFullException extends PikkuClientException {

	/**
	 * A full queue.
	 * @param limit the queue's limit
	 */
	public PikkuSendQueueFullException(int limit) {
		super("The send queue is full (" + limit + " frames waiting); the frame was not sent");
	}

}
