package io.pikku.channel;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/**
 * A function defined once and wired to actions of any channel, as Pikku's
 * {@code pikkuFunc}. Its input is bound from the client's frame with Jackson (the routing
 * property and the correlation field removed) and checked with Bean Validation before the
 * handler runs.
 *
 * <pre class="code">
 * &#64;Bean
 * PikkuFunction&lt;EchoInput, EchoOutput&gt; echo() {
 *     return PikkuFunction.of(EchoInput.class, (input, context) -&gt; new EchoOutput(input.text()));
 * }
 *
 * &#64;Bean
 * PikkuFunction&lt;SendMessage, Sent&gt; sendMessage() {
 *     return PikkuFunction.builder(SendMessage.class)
 *         .summary("Sends a message to the room")
 *         .handler((input, context) -&gt; new Sent(input.message()))
 *         .build();
 * }
 * </pre>
 *
 * @param <I> the input type; {@code Void} for a function that takes no input
 * @param <O> the output type
 */
public final class PikkuFunction<I, O> {

	private final Type inputType;

	private final FunctionHandler<I, O> handler;

	private final @Nullable Boolean auth;

	private final Docs docs;

	private final @Nullable Permissions permissions;

	private final List<PikkuMiddleware> middleware;

	private final boolean nonBlocking;

	private PikkuFunction(Type inputType, FunctionHandler<I, O> handler, @Nullable Boolean auth, Docs docs,
			@Nullable Permissions permissions, List<PikkuMiddleware> middleware, boolean nonBlocking) {
		this.inputType = Objects.requireNonNull(inputType, "inputType");
		this.handler = Objects.requireNonNull(handler, "handler");
		this.auth = auth;
		this.docs = docs;
		this.permissions = permissions;
		this.middleware = List.copyOf(middleware);
		this.nonBlocking = nonBlocking;
	}

	/**
	 * A function with the given input type and code, and no options.
	 * @param <I> the input type
	 * @param <O> the output type
	 * @param inputType the input type, e.g. a record
	 * @param handler the code
	 * @return the function
	 */
	public static <I, O> PikkuFunction<I, O> of(Class<I> inputType, FunctionHandler<I, O> handler) {
		return new PikkuFunction<>(inputType, handler, null, Docs.NONE, null, List.of(), false);
	}

	/**
	 * Starts a function with options.
	 * @param <I> the input type
	 * @param inputType the input type, e.g. a record
	 * @return a builder
	 */
	public static <I> Builder<I, Object> builder(Class<I> inputType) {
		return new Builder<>(inputType);
	}

	/**
	 * Starts a function whose input is a generic type, e.g. {@code List<Item>}.
	 * @param <I> the input type
	 * @param inputType the input type
	 * @return a builder
	 */
	public static <I> Builder<I, Object> builder(TypeReference<I> inputType) {
		return new Builder<>(inputType.getType());
	}

	/**
	 * The type the input is bound to.
	 * @return the input type
	 */
	public Type inputType() {
		return this.inputType;
	}

	/**
	 * The code.
	 * @return the handler
	 */
	public FunctionHandler<I, O> handler() {
		return this.handler;
	}

	/**
	 * Whether a call needs a session, or {@code null} to follow the channel.
	 * @return the auth setting
	 */
	public @Nullable Boolean auth() {
		return this.auth;
	}

	/**
	 * The documentation.
	 * @return the docs
	 */
	public Docs docs() {
		return this.docs;
	}

	/**
	 * The permission groups, or {@code null} to follow the channel.
	 * @return the permissions
	 */
	public @Nullable Permissions permissions() {
		return this.permissions;
	}

	/**
	 * The function's own wire middleware, innermost of the tag, channel and action ones.
	 * @return the middleware, outermost first
	 */
	public List<PikkuMiddleware> middleware() {
		return this.middleware;
	}

	/**
	 * Whether the function is declared never to block its thread.
	 * @return {@code true} if a reactive transport may run it on the event loop
	 * @see Builder#nonBlocking()
	 */
	public boolean nonBlocking() {
		return this.nonBlocking;
	}

	/**
	 * Builds a {@link PikkuFunction}: options, then the code with
	 * {@link #handler(FunctionHandler)}, then {@link #build()}.
	 *
	 * @param <I> the input type
	 * @param <O> the output type, known once the handler is set
	 */
	public static final class Builder<I, O> {

		private final Type inputType;

		private @Nullable Boolean auth;

		private @Nullable String summary;

		private @Nullable String description;

		private final List<String> tags = new java.util.ArrayList<>();

		private @Nullable Permissions permissions;

		private final List<PikkuMiddleware> middleware = new java.util.ArrayList<>();

		private boolean nonBlocking;

		private @Nullable FunctionHandler<I, ?> handler;

		private Builder(Type inputType) {
			this.inputType = Objects.requireNonNull(inputType, "inputType");
		}

		/**
		 * Whether a call needs a session; unset, the channel decides (true by default).
		 * @param auth whether a session is required
		 * @return this builder
		 */
		public Builder<I, O> auth(boolean auth) {
			this.auth = auth;
			return this;
		}

		/**
		 * A one-line summary for the docs.
		 * @param summary the summary
		 * @return this builder
		 */
		public Builder<I, O> summary(String summary) {
			this.summary = summary;
			return this;
		}

		/**
		 * A longer description for the docs.
		 * @param description the description
		 * @return this builder
		 */
		public Builder<I, O> description(String description) {
			this.description = description;
			return this;
		}

		/**
		 * Adds tags, for the docs and to select tag middleware.
		 * @param tags the tags
		 * @return this builder
		 */
		public Builder<I, O> tags(String... tags) {
			this.tags.addAll(List.of(tags));
			return this;
		}

		/**
		 * Adds a permission group: the call passes when any group passes, and a group
		 * passes when all its checks pass. Denied calls answer {@code forbidden}.
		 * @param group the group's name
		 * @param checks the checks
		 * @return this builder
		 */
		public Builder<I, O> permission(String group, PermissionCheck... checks) {
			this.permissions = ((this.permissions != null) ? this.permissions : Permissions.NONE).and(group, checks);
			return this;
		}

		/**
		 * Adds wire middleware around this function's calls.
		 * @param middleware the middleware, outermost first
		 * @return this builder
		 */
		public Builder<I, O> middleware(PikkuMiddleware... middleware) {
			this.middleware.addAll(List.of(middleware));
			return this;
		}

		/**
		 * Declares that the function never blocks its thread: it returns at once, e.g.
		 * with a {@link java.util.concurrent.CompletionStage} or a {@code Mono}, or only
		 * computes. A reactive transport then runs it on the connection's event loop; any
		 * other function runs on a worker thread there. The servlet transport runs every
		 * function on the thread that read the frame.
		 * @return this builder
		 */
		public Builder<I, O> nonBlocking() {
			this.nonBlocking = true;
			return this;
		}

		/**
		 * The code.
		 * @param <R> the output type
		 * @param handler the code
		 * @return this builder, typed for the output
		 */
		@SuppressWarnings("unchecked")
		public <R> Builder<I, R> handler(FunctionHandler<I, R> handler) {
			this.handler = Objects.requireNonNull(handler, "handler");
			return (Builder<I, R>) this;
		}

		/**
		 * Builds the function.
		 * @return the function
		 * @throws IllegalStateException if no handler was set
		 */
		@SuppressWarnings("unchecked")
		public PikkuFunction<I, O> build() {
			if (this.handler == null) {
				throw new IllegalStateException("A function needs a handler: call handler(..) before build()");
			}
			return new PikkuFunction<>(this.inputType, (FunctionHandler<I, O>) this.handler, this.auth,
					new Docs(this.summary, this.description, this.tags), this.permissions, this.middleware,
					this.nonBlocking);
		}

	}

}
