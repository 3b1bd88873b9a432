package io.pikku.sample.todos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Todos in this process.
 */
class InMemoryTodoRepository implements TodoRepository {

	private final Map<String, Entry> todos = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	@Override
	public List<Todo> findAll() {
		List<Entry> entries = new ArrayList<>(this.todos.values());
		entries.sort((a, b) -> Long.compare(a.order(), b.order()));
		return entries.stream().map(Entry::todo).toList();
	}

	@Override
	public void save(Todo todo) {
		this.todos.compute(todo.id(), (id,
				existing) -> new Entry((existing != null) ? existing.order() : this.sequence.incrementAndGet(), todo));
	}

	@Override
	public Optional<Todo> findById(String id) {
		return Optional.ofNullable(this.todos.get(id)).map(Entry::todo);
	}

	@Override
	public synchronized long deleteAll() {
		long count = this.todos.size();
		this.todos.clear();
		return count;
	}

	private record Entry(long order, Todo todo) {
	}

}
