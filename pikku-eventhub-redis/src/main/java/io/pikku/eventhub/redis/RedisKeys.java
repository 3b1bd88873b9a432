package io.pikku.eventhub.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The names of the Redis keys and channels Pikku uses, all under one prefix. Each family
 * has a name of its own after the prefix ({@code channel:}, {@code topic:},
 * {@code events:}, {@code runtime}), and a topic's names end with the topic's exact key,
 * so two topics never share a key or a channel, and no topic reaches another family's.
 *
 * <p>
 * A topic's key and channel share a Redis Cluster hash tag, {@code {<tag>}} right after
 * the family's name: 16 hexadecimal digits of the SHA-256 of the topic key. So both live
 * in one slot (one shard serves the topic), topics spread over the slots, and no topic
 * name, whatever its characters (braces included), can choose or share another's tag:
 * Redis reads the first {@code {...}} of a name, and the prefix may not hold braces.
 *
 * <pre class="code">
 * pikku:topic:{3f79bb7b435b0532}room:a   members of topic room:a (a set)
 * pikku:events:{3f79bb7b435b0532}room:a  its publishes (pub/sub, sharded in a cluster)
 * pikku:channel:&lt;channel id&gt;        one connection's record (a hash)
 * pikku:runtime                           the runtime's messages (pub/sub)
 * </pre>
 *
 * @param prefix the prefix, e.g. {@code pikku:}; no {@code {} or {@code }}
 */
public record RedisKeys(String prefix) {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	});

	public RedisKeys {
		if (prefix == null) {
			throw new IllegalArgumentException("The key prefix must not be null");
		}
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			throw new IllegalArgumentException(
					"The key prefix must not contain '{' or '}' (Redis Cluster reads them as a hash tag): " + prefix);
		}
	}

	/**
	 * The hash that records one connection.
	 * @param channelId the channel id
	 * @return the key
	 */
	public String channel(String channelId) {
		return this.prefix + "channel:" + channelId;
	}

	/**
	 * The set of the channel ids subscribed to a topic, on every instance.
	 * @param topic the topic key
	 * @return the key
	 */
	public String topicMembers(String topic) {
		return this.prefix + "topic:{" + hashTag(topic) + "}" + topic;
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
	 * The pub/sub channel that carries a topic's publishes between instances (a shard
	 * channel in a Redis Cluster), in the slot of the topic's members.
	 * @param topic the topic key
	 * @return the Redis channel
	 */
	public String events(String topic) {
		return this.prefix + "events:{" + hashTag(topic) + "}" + topic;
	}

	/**
	 * The hash tag of a topic: 16 hexadecimal digits of the SHA-256 of its key.
	 * @param topic the topic key
	 * @return the tag, without its braces
	 */
	static String hashTag(String topic) {
		byte[] digest = SHA_256.get().digest(topic.getBytes(StandardCharsets.UTF_8));
		char[] tag = new char[16];
		for (int i = 0; i < 8; i++) {
			tag[2 * i] = HEX[(digest[i] >> 4) & 0xf];
			tag[2 * i + 1] = HEX[digest[i] & 0xf];
		}
		return new String(tag);
	}

}
