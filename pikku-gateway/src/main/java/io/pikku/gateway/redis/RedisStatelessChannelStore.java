package io.pikku.gateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.pikku.store.ChannelRecord;
import io.pikku.store.StatelessChannelStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The gateway runtime's channel store in Redis: one hash per connection, written field by
 * field (a state write never overwrites a session written meanwhile, nor the reverse), a
 * set per user for {@code sendToUser} and {@code closeUser}, and a short lock per
 * connection so that two events of one connection run one after the other on any
 * instance. Every record expires after a time to live longer than the gateway's longest
 * connection, so that a connection whose {@code $disconnect} never came is forgotten.
 *
 * <p>
 * Keys: {@code {prefix}channel:{id}}, {@code {prefix}user:{userId}},
 * {@code {prefix}lock:{id}}. The scripts touch keys they compute, so a Redis Cluster is
 * not supported.
 */
public final class RedisStatelessChannelStore implements StatelessChannelStore {

	private static final RedisScript<Long> ADD = RedisScript.of("""
			redis.call('DEL', KEYS[1])
			redis.call('HSET', KEYS[1], 'channelName', ARGV[2], 'openingData', ARGV[3])
			if ARGV[4] ~= '' then
			  redis.call('HSET', KEYS[1], 'userId', ARGV[4])
			  local user = ARGV[6] .. 'user:' .. ARGV[4]
			  redis.call('SADD', user, ARGV[7])
			  redis.call('PEXPIRE', user, ARGV[1])
			end
			if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'session', ARGV[5]) end
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return 1
			""", Long.class);

	private static final RedisScript<Long> SET_SESSION = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
			local old = redis.call('HGET', KEYS[1], 'userId')
			if old then redis.call('SREM', ARGV[4] .. 'user:' .. old, ARGV[5]) end
			if ARGV[2] ~= '' then
			  redis.call('HSET', KEYS[1], 'userId', ARGV[2])
			  local user = ARGV[4] .. 'user:' .. ARGV[2]
			  redis.call('SADD', user, ARGV[5])
			  redis.call('PEXPIRE', user, ARGV[1])
			else
			  redis.call('HDEL', KEYS[1], 'userId')
			end
			if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'session', ARGV[3])
			else redis.call('HDEL', KEYS[1], 'session') end
			return 1
			""", Long.class);

	private static final RedisScript<Long> SET_STATE = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
			if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'state', ARGV[1])
			else redis.call('HDEL', KEYS[1], 'state') end
			return 1
			""", Long.class);

	private static final RedisScript<Long> REMOVE = RedisScript.of("""
			local old = redis.call('HGET', KEYS[1], 'userId')
			if old then redis.call('SREM', ARGV[1] .. 'user:' .. old, ARGV[2]) end
			return redis.call('DEL', KEYS[1])
			""", Long.class);

	private static final RedisScript<Long> UNLOCK = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
			return 0
			""", Long.class);

	/**
	 * The members of a set (a user's, a topic's) whose connection still has a record; the
	 * others are removed from it. A connection whose {@code $disconnect} never came is
	 * forgotten with its expired record, and leaves these sets at their next read.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> LIVE_MEMBERS = RedisScript.of("""
			local live = {}
			for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
			  if redis.call('EXISTS', ARGV[1] .. id) == 1 then live[#live + 1] = id
			  else redis.call('SREM', KEYS[1], id) end
			end
			return live
			""", List.class);

	private static final Duration LOCK_LEASE = Duration.ofSeconds(30);

	private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

	private final ReactiveStringRedisTemplate redis;

	private final JsonMapper mapper;

	private final String prefix;

	private final Duration timeToLive;

	/**
	 * A store on the given Redis.
	 * @param redis commands
	 * @param mapper reads and writes the JSON fields
	 * @param prefix what every key starts with
	 * @param timeToLive how long a record lives (the gateway's 2 h plus a margin)
	 */
	public RedisStatelessChannelStore(ReactiveStringRedisTemplate redis, JsonMapper mapper, String prefix,
			Duration timeToLive) {
		this.redis = redis;
		this.mapper = mapper;
		this.prefix = prefix;
		this.timeToLive = timeToLive;
	}

	private String channelKey(String channelId) {
		return this.prefix + "channel:" + channelId;
	}

	@Override
	public CompletionStage<Void> add(ChannelRecord record) {
		return this.redis
			.execute(ADD, List.of(channelKey(record.channelId())),
					List.of(ttl(), record.channelName(), this.mapper.writeValueAsString(record.openingData()),
							orEmpty(record.userId()), json(record.session()), this.prefix, record.channelId()))
			.then()
			.toFuture();
	}

	@Override
	public CompletionStage<Optional<ChannelRecord>> get(String channelId) {
		return this.redis.<String, String>opsForHash()
			.entries(channelKey(channelId))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.map((fields) -> ChannelRecord.fromFields(channelId, fields, this.mapper))
			.toFuture();
	}

	@Override
	public CompletionStage<Void> setSession(String channelId, @Nullable String userId, @Nullable JsonNode session) {
		return this.redis
			.execute(SET_SESSION, List.of(channelKey(channelId)),
					List.of(ttl(), orEmpty(userId), json(session), this.prefix, channelId))
			.then()
			.toFuture();
	}

	@Override
	public CompletionStage<Void> setState(String channelId, @Nullable JsonNode state) {
		return this.redis.execute(SET_STATE, List.of(channelKey(channelId)), List.of(json(state))).then().toFuture();
	}

	@Override
	public CompletionStage<Void> remove(String channelId) {
		return this.redis.execute(REMOVE, List.of(channelKey(channelId)), List.of(this.prefix, channelId))
			.then()
			.toFuture();
	}

	@Override
	public CompletionStage<List<String>> channelsOfUser(String userId) {
		return liveMembers(this.prefix + "user:" + userId);
	}

	/**
	 * The members of a set of connection ids whose record is still here, sorted; the
	 * others leave the set.
	 * @param key the set
	 * @return the connection ids
	 */
	CompletionStage<List<String>> liveMembers(String key) {
		return this.redis.execute(LIVE_MEMBERS, List.of(key), List.of(channelKey("")))
			.flatMapIterable((ids) -> (List<?>) ids)
			.map(String.class::cast)
			.sort()
			.collectList()
			.toFuture();
	}

	@Override
	public <T> CompletionStage<T> exclusive(String channelId, Supplier<CompletionStage<T>> work) {
		String key = this.prefix + "lock:" + channelId;
		String token = UUID.randomUUID().toString();
		long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
		return acquire(key, token, deadline, 2).thenCompose((locked) -> {
			CompletionStage<T> result;
			try {
				result = work.get();
			}
			catch (RuntimeException ex) {
				result = CompletableFuture.failedFuture(ex);
			}
			return result
				.handle((value, failure) -> this.redis.execute(UNLOCK, List.of(key), List.of(token))
					.then(Mono.fromCallable(() -> new Outcome<>(value, failure)))
					.onErrorReturn(new Outcome<>(value, failure))
					.toFuture())
				.thenCompose((outcome) -> outcome)
				.thenCompose(Outcome::stage);
		});
	}

	private CompletableFuture<Boolean> acquire(String key, String token, long deadline, long waitMs) {
		return this.redis.opsForValue().setIfAbsent(key, token, LOCK_LEASE).toFuture().thenCompose((locked) -> {
			if (Boolean.TRUE.equals(locked)) {
				return CompletableFuture.completedFuture(true);
			}
			if (System.nanoTime() > deadline) {
				// the holder died or hangs: its lease ends by itself; go on rather than
				// fail
				return CompletableFuture.completedFuture(false);
			}
			return CompletableFuture
				.supplyAsync(() -> null,
						CompletableFuture.delayedExecutor(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS))
				.thenCompose((ignored) -> acquire(key, token, deadline, Math.min(waitMs * 2, 50)));
		});
	}

	private String ttl() {
		return Long.toString(this.timeToLive.toMillis());
	}

	private String json(@Nullable JsonNode value) {
		return (value != null) ? this.mapper.writeValueAsString(value) : "";
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private record Outcome<T>(@Nullable T value, @Nullable Throwable failure) {

		CompletionStage<T> stage() {
			return (this.failure != null) ? CompletableFuture.failedFuture(this.failure)
					: CompletableFuture.completedFuture(this.value);
		}

	}

}
