package io.pikku.eventhub.redis;

/**
 * The names of the Redis keys and channels Pikku uses, all under one prefix. Each family
 * has a name of its own after the prefix ({@code channel:}, {@code topic:},
 * {@code events:}, {@code runtime}), and a topic's names end with the topic's exact name,
 * so two topics never share a key or a channel, and no topic reaches another family's.
 *
 * @param prefix the prefix, e.g. {@code pikku:}
 */
public record RedisKeys(String prefix) {

	public RedisKeys {
		if (prefix == null) {
			throw new IllegalArgumentException("The key prefix must not be null");
		}
	}

	/**
	 * The hash that records one connection.
	 * @param channelId the channel id
	 * @return the key
	 */
	public String channel(String channelId) {
		return channelPrefix() + channelId;
	}

	/**
	 * What every connection's hash key starts with.
	 * @return the prefix of channel keys
	 */
	public String channelPrefix() {
		return this.prefix + "channel:";
	}

	/**
	 * The set of the channel ids subscribed to a topic, on every instance.
	 * @param topic the topic
	 * @return the key
	 */
	public String topicMembers(String topic) {
		return this.prefix + "topic:" + topic;
	}

	/**
	 * The pub/sub channel that carries the runtime's messages between instances; no topic
	 * name maps to it, as every topic's channel is under {@code events:}.
	 * @return the Redis channel
	 */
	public String runtime() {
		return this.prefix + "runtime";
	}

	/**
	 * The pub/sub channel that carries a topic's publishes between instances.
	 * @param topic the topic
	 * @return the Redis channel
	 */
	public String events(String topic) {
		return this.prefix + "events:" + topic;
	}

}
