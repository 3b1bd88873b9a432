package io.pikku.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates declarative clients of a channel, as Spring's HTTP service proxies do for HTTP:
 * each abstract method of an interface calls the action of its name (or of its
 * {@link PikkuAction}) on one connection, with its one parameter, if any, as the input. A
 * method answers a {@link CompletableFuture} or {@link CompletionStage} of the reply, or
 * the reply itself (waiting for it, at most the call timeout).
 *
 * <pre class="code">
 * interface Todos {
 *     CompletableFuture&lt;TodoReply&gt; create(NewTodo todo);
 *     TodoList list();
 * }
 *
 * PikkuConnection connection = client.connect("/todos").join();
 * Todos todos = PikkuClientProxyFactory.of(connection).createClient(Todos.class);
 * </pre>
 */
public final class PikkuClientProxyFactory {

	private final JdkPikkuConnection connection;

	private final JsonMapper mapper;

	private PikkuClientProxyFactory(JdkPikkuConnection connection, JsonMapper mapper) {
		this.connection = connection;
		this.mapper = mapper;
	}

	/**
	 * A factory of clients that call on a connection.
	 * @param connection a connection opened by a {@link PikkuClient}
	 * @return the factory
	 */
	public static PikkuClientProxyFactory of(PikkuConnection connection) {
		Objects.requireNonNull(connection, "connection");
		if (!(connection instanceof JdkPikkuConnection jdk)) {
			throw new IllegalArgumentException("The connection must be opened by a PikkuClient");
		}
		return new PikkuClientProxyFactory(jdk, jdk.mapper());
	}

	/**
	 * Creates a client.
	 * @param <S> the client type
	 * @param type an interface whose abstract methods are actions
	 * @return the client
	 * @throws IllegalArgumentException if the type is not an interface, or one of its
	 * methods takes more than one parameter
	 */
	public <S> S createClient(Class<S> type) {
		Objects.requireNonNull(type, "type");
		if (!type.isInterface()) {
			throw new IllegalArgumentException(type.getName() + " is not an interface");
		}
		Map<Method, ActionMethod> actions = new HashMap<>();
		for (Method method : type.getMethods()) {
			if (Modifier.isAbstract(method.getModifiers())) {
				actions.put(method, actionMethod(type, method));
			}
		}
		InvocationHandler handler = (proxy, method, arguments) -> {
			ActionMethod action = actions.get(method);
			if (action != null) {
				return action.invoke((arguments != null && arguments.length == 1) ? arguments[0] : null);
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, arguments);
			}
			return switch (method.getName()) {
				case "equals" -> proxy == arguments[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> type.getSimpleName() + " client of " + this.connection.uri();
				default -> throw new UnsupportedOperationException(method.toString());
			};
		};
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
	}

	private ActionMethod actionMethod(Class<?> type, Method method) {
		if (method.getParameterCount() > 1) {
			throw new IllegalArgumentException(type.getSimpleName() + "." + method.getName()
					+ ": an action method takes at most one parameter, the input");
		}
		PikkuAction annotation = method.getAnnotation(PikkuAction.class);
		String action = (annotation != null) ? annotation.value() : method.getName();
		if (action.isBlank()) {
			throw new IllegalArgumentException(type.getSimpleName() + "." + method.getName() + ": blank action name");
		}
		Class<?> returnType = method.getReturnType();
		boolean async = returnType == CompletableFuture.class || returnType == CompletionStage.class;
		Type replyType = async ? futureValue(type, method) : method.getGenericReturnType();
		JavaType javaType = this.mapper.constructType((replyType == void.class) ? Void.class : replyType);
		return new ActionMethod(action, javaType, async);
	}

	private static Type futureValue(Class<?> type, Method method) {
		if (method.getGenericReturnType() instanceof ParameterizedType parameterized) {
			return parameterized.getActualTypeArguments()[0];
		}
		throw new IllegalArgumentException(type.getSimpleName() + "." + method.getName()
				+ ": say what the future holds, e.g. CompletableFuture<Reply>");
	}

	/**
	 * One action method.
	 */
	private final class ActionMethod {

		private final String action;

		private final JavaType replyType;

		private final boolean async;

		ActionMethod(String action, JavaType replyType, boolean async) {
			this.action = action;
			this.replyType = replyType;
			this.async = async;
		}

		@Nullable Object invoke(@Nullable Object input) throws Throwable {
			CompletableFuture<Object> reply = PikkuClientProxyFactory.this.connection.call(this.action, input,
					this.replyType);
			if (this.async) {
				return reply;
			}
			try {
				return reply.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() != null) ? ex.getCause() : ex;
			}
		}

	}

}
