package io.pikku.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.pikku.eventhub.redis.RedisKeys;
import io.pikku.store.ChannelRecord;
import io.pikku.store.ChannelStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A channel store in Redis hashes, one per connection, so that every instance sees every
 * connection (for presence, e.g. the users in a room).
 *
 * <p>
 * Each instance writes the records of its own connections and refreshes their expiry
 * every third of the instance TTL ({@link #refresh()}); the records of an instance that
 * died without cleaning up expire with it. Updates to a connection that this instance
 * does not own are ignored.
 */
public final class RedisChannelStore implements ChannelStore {

	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	/** Replaces a hash with the given fields and sets its expiry, atomically. */
	private static final RedisScript<Long> WRITE = RedisScript.of("""
			redis.call('DEL', KEYS[1])
			redis.call('HSET', KEYS[1], unpack(ARGV, 2))
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return 1
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper mapper;

	private final RedisKeys keys;

	private final Duration instanceTtl;

	private final String instanceId;

	private final Map<String, ChannelRecord> local = new ConcurrentHashMap<>();

	/**
	 * A store on the given Redis.
	 * @param redis commands
	 * @param mapper reads and writes the JSON fields
	 * @param keys the key names
	 * @param instanceId this instance's id, recorded with each connection
	 * @param instanceTtl how long a record outlives its instance
	 */
	public RedisChannelStore(ReactiveStringRedisTemplate redis, JsonMapper mapper, RedisKeys keys, String instanceId,
			Duration instanceTtl) {
		this.redis = redis;
		this.mapper = mapper;
		this.keys = keys;
		this.instanceId = instanceId;
		this.instanceTtl = instanceTtl;
	}

	@Override
	public CompletionStage<Void> add(ChannelRecord record) {
		this.local.put(record.channelId(), record);
		return write(record);
	}

	@Override
	public CompletionStage<Optional<ChannelRecord>> get(String channelId) {
		ChannelRecord record = this.local.get(channelId);
		if (record != null) {
			return CompletableFuture.completedFuture(Optional.of(record));
		}
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.channel(channelId))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.map((fields) -> ChannelRecord.fromFields(channelId, fields, this.mapper))
			.toFuture();
	}

	@Override
	public CompletionStage<Void> setSession(String channelId, @Nullable String userId, @Nullable JsonNode session) {
		ChannelRecord record = this.local.computeIfPresent(channelId,
				(id, current) -> current.withSession(userId, session));
		return (record != null) ? write(record) : DONE;
	}

	@Override
	public CompletionStage<Void> setState(String channelId, @Nullable JsonNode state) {
		ChannelRecord record = this.local.computeIfPresent(channelId, (id, current) -> current.withState(state));
		return (record != null) ? write(record) : DONE;
	}

	@Override
	public CompletionStage<Void> remove(String channelId) {
		this.local.remove(channelId);
		return this.redis.delete(this.keys.channel(channelId)).then().toFuture();
	}

	/**
	 * Rewrites this instance's records and their expiry; called every third of the
	 * instance TTL, and restores the records after Redis lost them.
	 * @return completes when written
	 */
	public CompletionStage<Void> refresh() {
		return Flux.fromIterable(this.local.values()).flatMap(this::writeLater).then().toFuture();
	}

	/**
	 * How many connections of this instance are recorded.
	 * @return the count
	 */
	public int localCount() {
		return this.local.size();
	}

	private CompletableFuture<Void> write(ChannelRecord record) {
		return writeLater(record).toFuture();
	}

	private reactor.core.publisher.Mono<Void> writeLater(ChannelRecord record) {
		List<String> arguments = new ArrayList<>();
		arguments.add(Long.toString(this.instanceTtl.toMillis()));
		field(arguments, "channelName", record.channelName());
		field(arguments, "instance", this.instanceId);
		field(arguments, "openingData", this.mapper.writeValueAsString(record.openingData()));
		field(arguments, "userId", record.userId());
		field(arguments, "session",
				(record.session() != null) ? this.mapper.writeValueAsString(record.session()) : null);
		field(arguments, "state", (record.state() != null) ? this.mapper.writeValueAsString(record.state()) : null);
		return this.redis.execute(WRITE, List.of(this.keys.channel(record.channelId())), arguments).then();
	}

	private static void field(List<String> arguments, String name, @Nullable String value) {
		if (value != null) {
			arguments.add(name);
			arguments.add(value);
		}
	}

}
