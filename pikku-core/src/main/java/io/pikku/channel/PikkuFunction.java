package io.pikku.channel;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>
 * The output type, for the API description and typed clients, is read from the
 * {@code @Bean} method's return type ({@code PikkuFunction<SendMessage, Sent>}, with
 * {@code CompletionStage<T>} and {@code Mono<T>} unwrapped). A function made elsewhere,
 * e.g. in a private helper method, says it with {@link Builder#returns(Class)}.
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

	private final @Nullable Type outputType;

	private final List<DeclaredError> errors;

	private PikkuFunction(Type inputType, FunctionHandler<I, O> handler, @Nullable Boolean auth, Docs docs,
			@Nullable Permissions permissions, List<PikkuMiddleware> middleware, boolean nonBlocking,
			@Nullable Type outputType, List<DeclaredError> errors) {
		this.inputType = Objects.requireNonNull(inputType, "inputType");
		this.handler = Objects.requireNonNull(handler, "handler");
		this.auth = auth;
		this.docs = docs;
		this.permissions = permissions;
		this.middleware = List.copyOf(middleware);
		this.nonBlocking = nonBlocking;
		this.outputType = outputType;
		this.errors = List.copyOf(errors);
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
		return new PikkuFunction<>(inputType, handler, null, Docs.NONE, null, List.of(), false, null, List.of());
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
	 * The type of what the function answers (its result, a {@code CompletionStage} or
	 * {@code Mono} already unwrapped), as given to {@link Builder#returns(Class)}. Only
	 * the API description reads it; it changes nothing at run time.
	 * @return the output type, or {@code null} when not given here (the API description
	 * then reads the {@code @Bean} method's return type, or calls it unknown)
	 */
	public @Nullable Type outputType() {
		return this.outputType;
	}

	/**
	 * The error codes the function declares that it raises itself, in declaration order.
	 * @return the declared errors
	 * @see Builder#errors(String...)
	 */
	public List<DeclaredError> errors() {
		return this.errors;
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

		private final List<String> tags = new ArrayList<>();

		private @Nullable Permissions permissions;

		private final List<PikkuMiddleware> middleware = new ArrayList<>();

		private boolean nonBlocking;

		private @Nullable FunctionHandler<I, ?> handler;

		private @Nullable Type outputType;

		private final Map<String, DeclaredError> errors = new LinkedHashMap<>();

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
		 * Says what the function answers, for the API description and typed clients,
		 * where no {@code @Bean} method's return type says it (e.g. a function made in a
		 * private helper method). For a function that returns a {@code CompletionStage}
		 * or a {@code Mono}, give the type it completes with. Changes nothing at run
		 * time.
		 * @param outputType the output type, e.g. a record; {@code Void.class} for a
		 * function that answers only with its routing property
		 * @return this builder
		 */
		public Builder<I, O> returns(Class<?> outputType) {
			this.outputType = Objects.requireNonNull(outputType, "outputType");
			return this;
		}

		/**
		 * Says what the function answers when it is a generic type, e.g. {@code new
		 * TypeReference<List<Todo>>() {}}.
		 * @param outputType the output type
		 * @return this builder
		 * @see #returns(Class)
		 */
		public Builder<I, O> returns(TypeReference<?> outputType) {
			this.outputType = Objects.requireNonNull(outputType, "outputType").getType();
			return this;
		}

		/**
		 * Declares error codes the function raises itself with a {@link PikkuException},
		 * e.g. {@code errors("not_found")}, so that the API description and typed clients
		 * list them beside the runtime's own codes. Changes nothing at run time.
		 * @param codes the error codes
		 * @return this builder
		 */
		public Builder<I, O> errors(String... codes) {
			for (String code : codes) {
				DeclaredError error = new DeclaredError(code, null);
				this.errors.put(error.code(), error);
			}
			return this;
		}

		/**
		 * Declares an error code the function raises itself, with the type of its
		 * {@code details}.
		 * @param code the error code
		 * @param detailsType the type of the details
		 * @return this builder
		 * @see #errors(String...)
		 */
		public Builder<I, O> error(String code, Class<?> detailsType) {
			DeclaredError error = new DeclaredError(code, Objects.requireNonNull(detailsType, "detailsType"));
			this.errors.put(error.code(), error);
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
					this.nonBlocking, this.outputType, new ArrayList<>(this.errors.values()));
		}

	}

}
