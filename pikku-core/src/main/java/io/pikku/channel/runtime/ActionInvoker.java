package io.pikku.channel.runtime;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.pikku.channel.BinaryHandler;
import io.pikku.channel.ConnectHandler;
import io.pikku.channel.DisconnectHandler;
import io.pikku.channel.FunctionHandler;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import jakarta.validation.ConstraintViolation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Runs one call, as Pikku's {@code runPikkuFunc}: wire middleware around the auth check,
 * input binding, permissions, validation and the function, with the call's scope and MDC
 * set; and the lifecycle hooks inside the channel's middleware. What it returns is the
 * result, or a {@link java.util.concurrent.CompletionStage} of it.
 */
final class ActionInvoker {

	private final RuntimeServices services;

	ActionInvoker(RuntimeServices services) {
		this.services = services;
	}

	/**
	 * Calls an action (or the default handler).
	 * @param action the action
	 * @param context the call's context
	 * @param input the input
	 * @param replyTo the frame answered, for the MDC
	 * @return the result or a stage of it
	 * @throws Exception what the middleware or the function threw
	 */
	@Nullable Object call(CompiledAction action, CallContext context, CallInput input, ReplyTo replyTo) throws Exception {
		OpenChannel connection = context.connection();
		try (Mdc mdc = Mdc.put(connection.name(), connection.id(), action.listenerName(), replyTo.correlation(),
				connection.session())) {
			List<PikkuMiddleware> middleware = action.middleware();
			return middleware.isEmpty() ? run(action, input, context)
					: invoke(middleware, 0, context, () -> run(action, input, context));
		}
	}

	/**
	 * Auth check, input binding, permissions, validation, function: what middleware
	 * wraps.
	 */
	@SuppressWarnings("unchecked")
	private @Nullable Object run(CompiledAction action, CallInput callInput, CallContext context) throws Exception {
		if (action.auth()) {
			requireLiveSession(context.session());
		}
		Object input = callInput.bind(action, this.services.mapper());
		FunctionHandler<Object, Object> handler = (FunctionHandler<Object, Object>) action.function().handler();
		try (CallScope.Scope scope = this.services.callScope().enter(context)) {
			if (!action.permissions().allows(input, context)) {
				throw PikkuException.forbidden("Not allowed");
			}
			if (action.input().constrained() && input != null && !(input instanceof JsonNode)) {
				validate(input);
			}
			return this.services.resultAdapter().adapt(handler.handle(input, context));
		}
	}

	/**
	 * Runs {@code onConnect} (if any) inside the channel's lifecycle middleware.
	 * @param onConnect the hook, or {@code null}
	 * @param context the context
	 * @return its result or a stage of it
	 * @throws Exception what the middleware or the hook threw
	 */
	@Nullable Object onConnect(@Nullable ConnectHandler<Object> onConnect, CallContext context, List<PikkuMiddleware> middleware)
			throws Exception {
		return invoke(middleware, context, () -> (onConnect != null)
				? scoped(context, () -> this.services.resultAdapter().adapt(onConnect.onConnect(context))) : null);
	}

	/**
	 * Runs {@code onDisconnect} (if any) inside the channel's lifecycle middleware.
	 * @param onDisconnect the hook, or {@code null}
	 * @param context the context
	 * @throws Exception what the middleware or the hook threw
	 */
	void onDisconnect(@Nullable DisconnectHandler<Object> onDisconnect, CallContext context,
			List<PikkuMiddleware> middleware) throws Exception {
		invoke(middleware, context, () -> {
			if (onDisconnect != null) {
				scoped(context, () -> {
					onDisconnect.onDisconnect(context);
					return null;
				});
			}
			return null;
		});
	}

	/**
	 * Runs the binary handler, after the channel's auth check.
	 * @param onBinary the handler
	 * @param data the frame
	 * @param context the context
	 * @param auth whether a session is required
	 * @return its result or a stage of it
	 * @throws Exception what the handler threw
	 */
	@Nullable Object onBinary(BinaryHandler<Object> onBinary, ByteBuffer data, CallContext context, boolean auth)
			throws Exception {
		if (auth) {
			requireLiveSession(context.session());
		}
		return scoped(context, () -> this.services.resultAdapter().adapt(onBinary.onBinary(data, context)));
	}

	private static void requireLiveSession(@Nullable PikkuSession session) {
		if (session == null) {
			throw PikkuException.unauthorized("Authentication required");
		}
		if (session.isExpired(Instant.now())) {
			throw PikkuException.unauthorized("Session expired: authenticate again");
		}
	}

	private void validate(Object input) {
		Set<ConstraintViolation<Object>> violations = this.services.validator().validate(input);
		if (!violations.isEmpty()) {
			throw Errors.validationFailed("Invalid input", violations);
		}
	}

	private static @Nullable Object invoke(List<PikkuMiddleware> chain, CallContext context, PikkuMiddleware.Next last)
			throws Exception {
		return (chain.isEmpty()) ? last.proceed() : invoke(chain, 0, context, last);
	}

	private static @Nullable Object invoke(List<PikkuMiddleware> chain, int index, CallContext context,
			PikkuMiddleware.Next last) throws Exception {
		if (index == chain.size()) {
			return last.proceed();
		}
		return chain.get(index).handle(context, () -> invoke(chain, index + 1, context, last));
	}

	private @Nullable Object scoped(CallContext context, PikkuMiddleware.Next work) throws Exception {
		try (CallScope.Scope scope = this.services.callScope().enter(context)) {
			return work.proceed();
		}
	}

}
