package io.pikku.client;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * An open connection to one channel. Calls may be made from any thread, concurrently;
 * each is matched to its reply by a correlation id, so concurrent calls of one action are
 * told apart. Frames are sent in the order they were given.
 *
 * <p>
 * What the server sends that is not a reply goes to the handlers: a delivery whose
 * {@code topic} has an {@link #onTopic} handler to those, anything else (the
 * {@code onConnect} welcome, the default handler's answers, {@code channel.send}) to the
 * {@link #onMessage} handlers. Handlers run one message at a time, in order, never on the
 * thread that reads the socket.
 */
public interface PikkuConnection extends AutoCloseable {

	/**
	 * The URI of the connection, without credentials.
	 * @return the URI
	 */
	URI uri();

	/**
	 * Where the connection stands.
	 * @return the state
	 */
	State state();

	/**
	 * Calls an action and binds its reply.
	 * @param <T> the reply type
	 * @param action the action, e.g. {@code sendMessage}
	 * @param input the input (written as a JSON object), or {@code null} for none
	 * @param replyType the reply type; the reply's fields without the routing property
	 * and correlation id are bound to it, or its {@code result} for a scalar type;
	 * {@code Void.class} ignores the reply
	 * @return completes with the reply; exceptionally with a {@link PikkuCallException}
	 * for an error reply, a {@link PikkuCallTimeoutException}, a
	 * {@link PikkuConnectionClosedException} if the connection is lost first, or a
	 * {@link PikkuClientException} if the reply does not bind
	 * @throws IllegalArgumentException if the input is not written as a JSON object
	 */
	<T> CompletableFuture<T> call(String action, @Nullable Object input, Class<T> replyType);

	/**
	 * Calls an action and binds its reply to a generic type.
	 * @param <T> the reply type
	 * @param action the action
	 * @param input the input, or {@code null} for none
	 * @param replyType the reply type
	 * @return completes with the reply, see {@link #call(String, Object, Class)}
	 */
	<T> CompletableFuture<T> call(String action, @Nullable Object input, TypeReference<T> replyType);

	/**
	 * Calls an action and answers its reply as JSON, without the routing property and
	 * correlation id.
	 * @param action the action
	 * @param input the input, or {@code null} for none
	 * @return completes with the reply, see {@link #call(String, Object, Class)}
	 */
	CompletableFuture<JsonNode> call(String action, @Nullable Object input);

	/**
	 * Handles the deliveries of a topic, bound to a type: an object payload with its
	 * fields (and {@code topic}), any other as its {@code data}. Subscribing is an action
	 * of the channel (e.g. {@code subscribe}); this only routes what arrives.
	 * @param <T> the payload type
	 * @param topic the topic
	 * @param type the payload type, or {@code JsonNode.class} for the delivery as it is
	 * @param handler the handler
	 * @return removes the handler
	 */
	<T> Registration onTopic(String topic, Class<T> type, Consumer<? super T> handler);

	/**
	 * Handles the messages that are neither replies nor deliveries of a handled topic.
	 * @param handler the handler
	 * @return removes the handler
	 */
	Registration onMessage(Consumer<JsonNode> handler);

	/**
	 * Runs after every reconnect, before the connection is {@link State#OPEN} again: log
	 * in, subscribe again. Hooks run in the order added, each after the previous one's
	 * stage completes; one that fails closes the new socket, and the policy tries again.
	 * @param hook given this connection, answers a stage that completes when done
	 * @return removes the hook
	 */
	Registration onReconnect(Function<PikkuConnection, ? extends CompletionStage<?>> hook);

	/**
	 * Sends a raw text frame, after the frames already queued.
	 * @param text the frame
	 * @return completes when the frame is written; exceptionally with a
	 * {@link PikkuSendQueueFullException} or {@link PikkuConnectionClosedException}
	 */
	CompletableFuture<Void> send(String text);

	/**
	 * Closes the connection after the frames already queued; it is not opened again.
	 * @return completes when closed
	 */
	CompletableFuture<Void> closeAsync();

	/**
	 * Completes when the connection is closed for good: by {@link #close()}, by the
	 * server when no reconnect follows, or after the last reconnect attempt failed.
	 * @return the close code and reason
	 */
	CompletableFuture<CloseStatus> closed();

	/**
	 * Closes the connection and waits, at most 5 seconds, for the server's answer.
	 */
	@Override
	void close();

	/**
	 * Where a connection stands.
	 */
	enum State {

		/** Open: calls are sent. */
		OPEN,

		/**
		 * Lost and being opened again: calls fail at once until a new socket is open;
		 * then the reconnect hooks call on it, and the state is {@link #OPEN} once they
		 * are done.
		 */
		RECONNECTING,

		/** Closed for good. */
		CLOSED

	}

	/**
	 * How a connection closed.
	 *
	 * @param code the WebSocket close code, or {@code -1} without a close frame
	 * @param reason the reason
	 */
	record CloseStatus(int code, String reason) {
	}

	/**
	 * Removes a handler or hook.
	 */
	@FunctionalInterface
	interface Registration extends AutoCloseable {

		/** Removes it; idempotent. */
		@Override
		void close();

	}

}
