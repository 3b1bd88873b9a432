package io.pikku.sample.todos;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Todos in Redis, shared by every instance: a hash of id to JSON and a list that keeps
 * their order.
 */
class RedisTodoRepository implements TodoRepository {

	private static final String TODOS = "sample:todos";

	private static final String ORDER = "sample:todos:order";

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	RedisTodoRepository(StringRedisTemplate redis, JsonMapper json) {
		this.redis = redis;
		this.json = json;
	}

	@Override
	public List<Todo> findAll() {
		List<String> ids = this.redis.opsForList().range(ORDER, 0, -1);
		if (ids == null || ids.isEmpty()) {
			return List.of();
		}
		List<Object> values = this.redis.<String, String>opsForHash()
			.multiGet(TODOS, List.copyOf(ids))
			.stream()
			.map((value) -> (Object) value)
			.toList();
		return values.stream()
			.filter(Objects::nonNull)
			.map((value) -> this.json.readValue((String) value, Todo.class))
			.toList();
	}

	@Override
	public void save(Todo todo) {
		Boolean added = this.redis.opsForHash().putIfAbsent(TODOS, todo.id(), this.json.writeValueAsString(todo));
		if (Boolean.TRUE.equals(added)) {
			this.redis.opsForList().rightPush(ORDER, todo.id());
		}
		else {
			this.redis.opsForHash().put(TODOS, todo.id(), this.json.writeValueAsString(todo));
		}
	}

	@Override
	public Optional<Todo> findById(String id) {
		Object value = this.redis.opsForHash().get(TODOS, id);
		return Optional.ofNullable(value).map((json) -> this.json.readValue((String) json, Todo.class));
	}

	@Override
	public long deleteAll() {
		Long count = this.redis.opsForHash().size(TODOS);
		this.redis.delete(List.of(TODOS, ORDER));
		return (count != null) ? count : 0;
	}

}
