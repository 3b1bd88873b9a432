package io.pikku.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.client.PikkuConnection.CloseStatus;
import io.pikku.client.PikkuHandshakeException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tests Pikku channels: connect, call actions and assert on replies, errors, topic
 * deliveries and silence, in the style of spring-graphql's {@code GraphQlTester}.
 *
 * <pre class="code">
 * ChannelTester.Connection chat = tester.connect("/chat/general");
 * chat.nextMessage().path("$.welcome").isEqualTo("Welcome to general!");
 * chat.action("sendMessage").input(new SendMessage("Hi")).execute().path("$.message").isEqualTo("Hi");
 * tester.mutate().bearerToken(bobsToken).build().connect("/chat/general")
 *     .topic("room:general").awaitNext().entity(Delivered.class).satisfies(...);
 * </pre>
 *
 * Two kinds, with the same assertions: {@link #forServer(String)} talks to a running
 * server over real sockets (auto-configured for {@code @SpringBootTest} with a random or
 * defined port), {@link #forRuntime(ChannelRuntime)} drives the channel runtime
 * in-process, with no server (auto-configured by {@code @PikkuChannelTest}), where the
 * session is set directly.
 */
public interface ChannelTester extends AutoCloseable {

	/**
	 * Opens a connection to a channel and waits until it is open.
	 * @param pathAndQuery the path, with query parameters if any, e.g.
	 * {@code /chat/general?name=Ann}
	 * @return the connection
	 * @throws PikkuHandshakeException if the upgrade is refused (the status the server
	 * answers: 404 for an unknown route, 400 for invalid opening data, 401 for a bad
	 * credential)
	 */
	Connection connect(String pathAndQuery);

	/**
	 * A builder that starts from this tester's settings, e.g. to log in as someone else.
	 * Connections of the new tester are closed with this one's.
	 * @return the builder
	 */
	Builder mutate();

	/**
	 * Closes every connection opened by this tester and the testers mutated from it.
	 */
	@Override
	void close();

	/**
	 * A tester of the server at a base URI, over real sockets.
	 * @param baseUri e.g. {@code ws://localhost:8080} or
	 * {@code http://localhost:8080/app}
	 * @return a builder
	 */
	static Builder forServer(String baseUri) {
		return DefaultChannelTester.forServer(baseUri);
	}

	/**
	 * An in-process tester of a channel runtime: no server, no socket; frames are handed
	 * to the runtime on the calling thread.
	 * @param runtime the runtime
	 * @return a builder
	 */
	static Builder forRuntime(ChannelRuntime runtime) {
		return DefaultChannelTester.forRuntime(runtime);
	}

	/**
	 * Builds a {@link ChannelTester}.
	 */
	interface Builder {

		/**
		 * Sends a bearer token at each handshake (over sockets only).
		 * @param token the token
		 * @return this builder
		 * @throws UnsupportedOperationException in-process, where the session is set with
		 * {@link #session(PikkuSession)}
		 */
		Builder bearerToken(String token);

		/**
		 * Adds a handshake header (over sockets only).
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 * @throws UnsupportedOperationException in-process
		 */
		Builder header(String name, String value);

		/**
		 * The session every connection starts with, as if established at the handshake
		 * (in-process only).
		 * @param session the session, or {@code null} for none
		 * @return this builder
		 * @throws UnsupportedOperationException over sockets, where a session comes from
		 * a {@link #bearerToken(String)} or an action
		 */
		Builder session(@Nullable PikkuSession session);

		/**
		 * How long to wait for a reply or a message (5 s unless set).
		 * @param timeout the timeout
		 * @return this builder
		 */
		Builder timeout(Duration timeout);

		/**
		 * The routing property of {@link Connection#action(String)} ({@code action}
		 * unless set, or the server's {@code pikku.default-routing-property}).
		 * @param routingProperty the property
		 * @return this builder
		 */
		Builder routingProperty(String routingProperty);

		/**
		 * The server's correlation field ({@code correlationId} unless set, or the
		 * server's {@code pikku.correlation-field}).
		 * @param correlationField the field
		 * @return this builder
		 */
		Builder correlationField(String correlationField);

		/**
		 * The mapper that writes inputs and binds entities.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		Builder jsonMapper(JsonMapper jsonMapper);

		/**
		 * Builds the tester.
		 * @return the tester
		 */
		ChannelTester build();

	}

	/**
	 * An open connection. Every message received is kept, in order, until an assertion
	 * takes it: {@link ActionSpec#execute()} its reply, {@link Topic#awaitNext()} a
	 * delivery of its topic, {@link #nextMessage()} the earliest one left.
	 */
	interface Connection extends AutoCloseable {

		/**
		 * Starts a call of an action.
		 * @param action the action's name
		 * @return the call to complete and execute
		 */
		ActionSpec action(String action);

		/**
		 * Sends a raw frame; its answer is taken with {@link #nextMessage()}.
		 * @param frame the text frame
		 * @return this connection
		 */
		Connection send(String frame);

		/**
		 * The earliest message that no assertion has taken yet, waiting for one.
		 * @return the message
		 * @throws AssertionError if none arrives in time
		 */
		Message nextMessage();

		/**
		 * The deliveries of a topic. Subscribing is an action of the channel; this only
		 * picks out what arrives.
		 * @param topic the topic
		 * @return the topic's deliveries
		 */
		Topic topic(String topic);

		/**
		 * Asserts that no message is left to take, and none arrives for a while.
		 * @param duration how long to wait
		 * @return this connection
		 * @throws AssertionError naming the message otherwise
		 */
		Connection expectNoMessage(Duration duration);

		/**
		 * Waits for the server to close the connection.
		 * @return the close code and reason
		 * @throws AssertionError if it stays open
		 */
		CloseStatus expectClosed();

		/**
		 * Whether the connection is closed.
		 * @return {@code true} once closed, by either side
		 */
		boolean isClosed();

		/**
		 * Closes the connection.
		 */
		@Override
		void close();

	}

	/**
	 * A call being prepared.
	 */
	interface ActionSpec {

		/**
		 * The input: any object written as a JSON object (a record, a map).
		 * @param input the input
		 * @return this call
		 */
		ActionSpec input(Object input);

		/**
		 * The input as JSON text, e.g. {@code {"text": 5}} to send a wrong type.
		 * @param json a JSON object
		 * @return this call
		 */
		ActionSpec inputJson(String json);

		/**
		 * Sends this correlation id (a string or number) instead of the tester's own; the
		 * reply then keeps it, to assert on.
		 * @param correlationId the id
		 * @return this call
		 */
		ActionSpec correlationId(Object correlationId);

		/**
		 * Sends the call and waits for its reply or error.
		 * @return the reply
		 * @throws AssertionError if none arrives in time
		 */
		Reply execute();

	}

	/**
	 * A message received: a reply, a delivery or any other.
	 */
	interface Message {

		/**
		 * The message as JSON (a reply without the tester's correlation id).
		 * @return the JSON
		 */
		JsonNode json();

		/**
		 * A JSONPath into the message, e.g. {@code $.todo.id}.
		 * @param path the path
		 * @return assertions on the value there
		 */
		PathSpec path(String path);

		/**
		 * The message bound to a type (without the routing property).
		 * @param <T> the type
		 * @param type the type
		 * @return assertions on the entity
		 */
		<T> EntitySpec<T> entity(Class<T> type);

		/**
		 * Asserts the message is this JSON: the same fields in the same order, the same
		 * values.
		 * @param json the expected JSON
		 * @return this message
		 */
		Message isEqualToJson(String json);

		/**
		 * Asserts the message has the same fields and values as this JSON, in any order
		 * (as for a reply built from a {@code Map}).
		 * @param json the expected JSON
		 * @return this message
		 */
		Message matchesJson(String json);

		/**
		 * Asserts anything on the JSON.
		 * @param assertions the assertions
		 * @return this message
		 */
		Message satisfies(Consumer<JsonNode> assertions);

	}

	/**
	 * The reply to a call: a result or an error.
	 */
	interface Reply extends Message {

		/**
		 * Asserts the reply is an error with this code, carrying the action and a
		 * message.
		 * @param code the expected code, e.g. {@code unauthorized}
		 * @return assertions on the error
		 */
		ErrorSpec expectError(String code);

		/**
		 * Asserts the reply is not an error.
		 * @return this reply
		 */
		Reply expectSuccess();

		@Override
		Reply isEqualToJson(String json);

		@Override
		Reply matchesJson(String json);

		@Override
		Reply satisfies(Consumer<JsonNode> assertions);

	}

	/**
	 * Assertions on the value at a JSONPath.
	 */
	interface PathSpec {

		/**
		 * Asserts there is a value (possibly {@code null}).
		 * @return this spec
		 */
		PathSpec exists();

		/**
		 * Asserts there is no value.
		 * @return this spec
		 */
		PathSpec doesNotExist();

		/**
		 * Asserts the value, numbers compared by value.
		 * @param expected the expected value
		 * @return this spec
		 */
		PathSpec isEqualTo(@Nullable Object expected);

		/**
		 * The value bound to a type.
		 * @param <T> the type
		 * @param type the type
		 * @return assertions on the entity
		 */
		<T> EntitySpec<T> entity(Class<T> type);

		/**
		 * The value, an array, bound to a list.
		 * @param <T> the element type
		 * @param elementType the element type
		 * @return assertions on the list
		 */
		<T> EntitySpec<List<T>> entityList(Class<T> elementType);

		/**
		 * Another path of the same message.
		 * @param path the path
		 * @return assertions on the value there
		 */
		PathSpec path(String path);

	}

	/**
	 * Assertions on a bound value.
	 *
	 * @param <T> its type
	 */
	interface EntitySpec<T> {

		/**
		 * Asserts it equals the expected value.
		 * @param expected the expected value
		 * @return this spec
		 */
		EntitySpec<T> isEqualTo(@Nullable Object expected);

		/**
		 * Asserts anything on it.
		 * @param assertions the assertions
		 * @return this spec
		 */
		EntitySpec<T> satisfies(Consumer<? super T> assertions);

		/**
		 * The value.
		 * @return the value
		 */
		T get();

	}

	/**
	 * Assertions on an error reply.
	 */
	interface ErrorSpec {

		/**
		 * Asserts the error's message contains a text.
		 * @param text the text
		 * @return this spec
		 */
		ErrorSpec messageContains(String text);

		/**
		 * Asserts the {@code validation_failed} details name a field.
		 * @param field the field, e.g. {@code text}
		 * @return this spec
		 */
		ErrorSpec hasDetailField(String field);

		/**
		 * A JSONPath into the error object, e.g. {@code $.details.retryAfterMs}.
		 * @param path the path
		 * @return assertions on the value there
		 */
		PathSpec path(String path);

		/**
		 * The whole error reply.
		 * @return the JSON
		 */
		JsonNode json();

	}

	/**
	 * The deliveries of one topic.
	 */
	interface Topic {

		/**
		 * Waits for the next delivery of the topic that no assertion took yet.
		 * @return the delivery
		 * @throws AssertionError if none arrives in time
		 */
		Message awaitNext();

	}

}
