package io.pikku.channel.runtime;

import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The input of one call, read from its frame once: bound to the input type while the
 * frame was read, or the frame's fields without the routing property and the correlation
 * id as a tree, which binds when the call asks.
 */
final class CallInput {

	private final @Nullable Object value;

	private final @Nullable FrameRouter router;

	private final @Nullable String text;

	private volatile @Nullable JsonNode tree;

	private CallInput(@Nullable Object value, @Nullable FrameRouter router, @Nullable String text,
			@Nullable JsonNode tree) {
		this.value = value;
		this.router = router;
		this.text = text;
		this.tree = tree;
	}

	static CallInput ofTree(JsonNode tree) {
		return new CallInput(null, null, null, tree);
	}

	/**
	 * An input bound while its frame was read.
	 * @param router what read the frame, for a tree if one is asked for
	 * @param text the frame
	 * @param value the bound input, or {@code null} for a function without one
	 */
	static CallInput ofValue(FrameRouter router, String text, @Nullable Object value) {
		return new CallInput(value, router, text, (value instanceof JsonNode node) ? node : null);
	}

	/**
	 * The input as a tree, for middleware: read again from the frame the first time it is
	 * asked for, if the frame was bound in one pass.
	 * @return the tree
	 */
	JsonNode tree() {
		JsonNode tree = this.tree;
		if (tree == null) {
			tree = this.router.inputTree(this.text);
			this.tree = tree;
		}
		return tree;
	}

	/**
	 * Whether the input was bound while its frame was read.
	 * @return {@code true} if it was, {@code false} if it binds from the tree
	 */
	boolean boundInOnePass() {
		return this.router != null;
	}

	/**
	 * Binds the input to the action's input type.
	 * @param action the action
	 * @param mapper the mapper
	 * @return the input, or {@code null} for a function without one
	 * @throws io.pikku.channel.PikkuException {@code validation_failed} if it does not
	 * bind
	 */
	@Nullable Object bind(CompiledAction action, JsonMapper mapper) {
		CompiledChannel.Input input = action.input();
		if (input.type() == null) {
			return null;
		}
		if (this.router != null) {
			return this.value;
		}
		JsonNode tree = this.tree;
		if (input.tree() || action.name() == null && input.type().getRawClass().isInstance(tree)) {
			return tree;
		}
		try {
			return input.reader().readValue(tree);
		}
		catch (JacksonException ex) {
			throw Errors.bindingFailed("Invalid input", ex);
		}
	}

}
