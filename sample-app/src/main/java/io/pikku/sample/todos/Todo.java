package io.pikku.sample.todos;

/**
 * A todo.
 *
 * @param id a UUID
 * @param text what to do
 * @param completed whether it is done
 * @param owner who created it
 */
public record Todo(String id, String text, boolean completed, String owner) {

	Todo complete() {
		return new Todo(this.id, this.text, true, this.owner);
	}

}
