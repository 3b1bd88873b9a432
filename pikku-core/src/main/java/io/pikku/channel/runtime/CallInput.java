package io.pikku.channel.runtime;

import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.TokenBuffer;

/**
 * The input of one call, read from its frame once: the frame's fields without the routing
 * property and the correlation id, as a tree or as buffered tokens that bind straight to
 * the input type.
 */
final class CallInput {

	private final @Nullable TokenBuffer tokens;

	private volatile @Nullable JsonNode tree;

	private CallInput(@Nullable TokenBuffer tokens, @Nullable JsonNode tree) {
		this.tokens = tokens;
		this.tree = tree;
	}

	static CallInput ofTree(JsonNode tree) {
		return new CallInput(null, tree);
	}

	static CallInput ofTokens(TokenBuffer tokens) {
		return new CallInput(tokens, null);
	}

	/**
	 * The input as a tree, for middleware and {@code JsonNode} inputs: read from the
	 * buffered tokens the first time it is asked for.
	 * @param mapper the mapper
	 * @return the tree
	 */
	JsonNode tree(JsonMapper mapper) {
		JsonNode tree = this.tree;
		if (tree == null) {
			tree = mapper.readTree(this.tokens.asParser(ObjectReadContext.empty()));
			this.tree = tree;
		}
		return tree;
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
		TokenBuffer tokens = this.tokens;
		if (input.tree()
				|| tokens == null && action.name() == null && input.type().getRawClass().isInstance(this.tree)) {
			return tree(mapper);
		}
		try {
			return (tokens != null) ? input.reader().readValue(tokens.asParser(ObjectReadContext.empty()))
					: input.reader().readValue(this.tree);
		}
		catch (JacksonException ex) {
			throw Errors.bindingFailed("Invalid input", ex);
		}
	}

}
