package io.pikku.eventhub;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A view of an EventHub whose topics belong to one scope: the name {@code n} given to it
 * is the topic key {@code pikku:scope:<scope>:n}, which no name given to the hub itself
 * can be (the prefix is reserved) and no other scope's can be (a scope has no {@code :}).
 * A scope inside a scope is {@code <outer>/<inner>}, which no scope name given to the hub
 * can be. Deliveries carry {@code n}.
 */
final class ScopedEventHub implements EventHub {

	private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final String SCOPED = RESERVED_PREFIX + "scope:";

	private final AbstractEventHub hub;

	private final String scope;

	private final String keyPrefix;

	ScopedEventHub(AbstractEventHub hub, String scope) {
		this(checked(scope), hub);
	}

	private ScopedEventHub(String scope, AbstractEventHub hub) {
		this.hub = hub;
		this.scope = scope;
		this.keyPrefix = SCOPED + scope + ":";
	}

	private static String checked(String scope) {
		if (scope == null || !SCOPE.matcher(scope).matches()) {
			throw new IllegalArgumentException("A scope's name is 1 to 64 letters, digits, '.', '_' or '-': " + scope);
		}
		return scope;
	}

	/**
	 * The name subscribers of a topic key know: the key itself, or a scoped name without
	 * its scope.
	 * @param key the topic key
	 * @return the name
	 */
	static String nameOf(String key) {
		if (!key.startsWith(SCOPED)) {
			return key;
		}
		int end = key.indexOf(':', SCOPED.length());
		return (end >= 0) ? key.substring(end + 1) : key;
	}

	private String key(String topic) {
		return this.keyPrefix + topic;
	}

	@Override
	public CompletionStage<Void> subscribe(String topic, String channelId) {
		return this.hub.subscribeKey(key(topic), channelId);
	}

	@Override
	public CompletionStage<Void> unsubscribe(String topic, String channelId) {
		return this.hub.unsubscribeKey(key(topic), channelId);
	}

	@Override
	public CompletionStage<Void> publish(String topic, @Nullable String excludeChannelId, Object payload) {
		return this.hub.publishKey(key(topic), excludeChannelId, payload);
	}

	@Override
	public CompletionStage<List<TopicSubscriber>> subscribers(String topic) {
		return this.hub.subscribersOfKey(key(topic));
	}

	/**
	 * A scope inside this one: its topics are apart from this scope's and from every
	 * other scope's.
	 */
	@Override
	public EventHub scope(String scope) {
		return new ScopedEventHub(this.scope + "/" + checked(scope), this.hub);
	}

	@Override
	public String toString() {
		return "EventHub scope '" + this.scope + "' of " + this.hub;
	}

}
