package io.pikku.eventhub;

/**
 * A topic name that starts with {@value EventHub#RESERVED_PREFIX}, which belongs to
 * Pikku, was given to {@link EventHub#subscribe} or {@link EventHub#publish}; a call that
 * fails with it is answered {@code forbidden}.
 */
public class ReservedTopicException extends IllegalArgumentException {

	private final String topic;

	/**
	 * A new exception.
	 * @param topic the topic name
	 */
	public ReservedTopicException(String topic) {
		super("Topic names starting with '" + EventHub.RESERVED_PREFIX + "' are reserved");
		this.topic = topic;
	}

	/**
	 * The reserved topic name.
	 * @return the name
	 */
	public String getTopic() {
		return this.topic;
	}

}
