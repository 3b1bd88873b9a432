package io.pikku.sample.todos;

import java.util.List;
import java.util.Optional;

/**
 * Where the todos live: in memory on one instance, in Redis under the {@code redis}
 * profile so that every instance shares one list.
 */
public interface TodoRepository {

	/**
	 * Every todo, oldest first.
	 * @return the todos
	 */
	List<Todo> findAll();

	/**
	 * Stores a todo.
	 * @param todo the todo
	 */
	void save(Todo todo);

	/**
	 * Finds a todo.
	 * @param id its id
	 * @return the todo, if it exists
	 */
	Optional<Todo> findById(String id);

	/**
	 * Deletes every todo.
	 * @return how many there were
	 */
	long deleteAll();

}
