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
 *
 * <p>
 * Or, for a route, {@link #connect(PikkuClient, String, Map, Class)} opens the client's
 * own connection. An interface that extends {@link AutoCloseable} closes the connection
 * with its {@code close()}.
 */
public final class PikkuClientProxyFactory {

	private final JdkPikkuConnection connection;

	private PikkuClientProxyFactory(JdkPikkuConnection connection) {
		this.connection = connection;
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
		return new PikkuClientProxyFactory(jdk);
	}

	/**
	 * Connects to a route and creates a client that calls on the new connection.
	 *
	 * <pre class="code">
	 * interface Chat extends AutoCloseable {
	 *     CompletableFuture&lt;Sent&gt; sendMessage(SendMessage message);
	 *     void close();
	 * }
	 *
	 * try (Chat chat = PikkuClientProxyFactory.connect(client, "/chat/{room}",
	 *         Map.of("room", "general"), Chat.class).join()) {
	 *     chat.sendMessage(new SendMessage("Hi")).join();
	 * }
	 * </pre>
	 * @param <S> the client type
	 * @param client the client of the server that serves the route
	 * @param route the route template, e.g. {@code /chat/{room}}
	 * @param pathVariables a value for each variable of the template
	 * @param type an interface whose abstract methods are actions; if it extends
	 * {@link AutoCloseable}, its {@code close()} closes the connection
	 * @return completes with the client once connected, or exceptionally as
	 * {@link PikkuClient#connect(String, Map)} does
	 * @throws IllegalArgumentException before connecting, if the type is not an interface
	 * of action methods or a variable has no value
	 */
	public static <S> CompletableFuture<S> connect(PikkuClient client, String route, Map<String, ?> pathVariables,
			Class<S> type) {
		Objects.requireNonNull(client, "client");
		Map<Method, ActionMethod> actions = actionMethods(type, client.jsonMapper());
		return client.connect(route, pathVariables)
			.thenApply((connection) -> proxy(type, actions, (JdkPikkuConnection) connection));
	}

	/**
	 * Creates a client.
	 * @param <S> the client type
	 * @param type an interface whose abstract methods are actions; if it extends
	 * {@link AutoCloseable}, its {@code close()} closes the connection
	 * @return the client
	 * @throws IllegalArgumentException if the type is not an interface, or one of its
	 * methods takes more than one parameter
	 */
	public <S> S createClient(Class<S> type) {
		return proxy(type, actionMethods(type, this.connection.mapper()), this.connection);
	}

	private static Map<Method, ActionMethod> actionMethods(Class<?> type, JsonMapper mapper) {
		Objects.requireNonNull(type, "type");
		if (!type.isInterface()) {
			throw new IllegalArgumentException(type.getName() + " is not an interface");
		}
		Map<Method, ActionMethod> actions = new HashMap<>();
		for (Method method : type.getMethods()) {
			if (Modifier.isAbstract(method.getModifiers()) && !closes(type, method)) {
				actions.put(method, actionMethod(type, method, mapper));
			}
		}
		return actions;
	}

	private static boolean closes(Class<?> type, Method method) {
		return AutoCloseable.class.isAssignableFrom(type) && method.getName().equals("close")
				&& method.getParameterCount() == 0;
	}

	private static <S> S proxy(Class<S> type, Map<Method, ActionMethod> actions, JdkPikkuConnection connection) {
		InvocationHandler handler = (proxy, method, arguments) -> {
			ActionMethod action = actions.get(method);
			if (action != null) {
				return action.invoke(connection, (arguments != null && arguments.length == 1) ? arguments[0] : null);
			}
			if (closes(type, method)) {
				connection.close();
				return null;
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, arguments);
			}
			return switch (method.getName()) {
				case "equals" -> proxy == arguments[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> type.getSimpleName() + " client of " + connection.uri();
				default -> throw new UnsupportedOperationException(method.toString());
			};
		};
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler));
	}

	private static ActionMethod actionMethod(Class<?> type, Method method, JsonMapper mapper) {
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
		JavaType javaType = mapper.constructType((replyType == void.class) ? Void.class : replyType);
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
	private static final class ActionMethod {

		private final String action;

		private final JavaType replyType;

		private final boolean async;

		ActionMethod(String action, JavaType replyType, boolean async) {
			this.action = action;
			this.replyType = replyType;
			this.async = async;
		}

		@Nullable Object invoke(JdkPikkuConnection connection, @Nullable Object input) throws Throwable {
			CompletableFuture<Object> reply = connection.call(this.action, input, this.replyType);
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
