package io.pikku.channel.runtime;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * A managed gateway that holds the clients' sockets (AWS API Gateway WebSocket APIs):
 * what the {@link StatelessChannelRuntime} asks of it by connection id. No method blocks
 * the caller on the network.
 */
public interface ConnectionGateway {

	/**
	 * Sends a text message to a connection.
	 * @param connectionId the gateway's connection id
	 * @param text the message
	 * @return completes when the gateway accepted it; fails with a {@link GoneException}
	 * if the connection is gone
	 */
	CompletionStage<Void> post(String connectionId, String text);

	/**
	 * Closes a connection (the gateway sends no close code).
	 * @param connectionId the gateway's connection id
	 * @return completes when the gateway accepted it; a connection already gone counts as
	 * closed
	 */
	CompletionStage<Void> close(String connectionId);

	/**
	 * What the gateway knows of a connection.
	 * @param connectionId the gateway's connection id
	 * @return its details, or empty if it is gone
	 */
	CompletionStage<Optional<Info>> info(String connectionId);

	/**
	 * What the gateway knows of a connection.
	 *
	 * @param connectedAt when it connected
	 * @param lastActiveAt when it last sent or received a message
	 * @param sourceIp the client's address, or {@code null}
	 */
	record Info(Instant connectedAt, Instant lastActiveAt, @Nullable String sourceIp) {
	}

	/**
	 * The connection is gone (HTTP 410 from the gateway).
	 */
	class GoneException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		/**
		 * A gone connection.
		 * @param connectionId the connection
		 */
		public GoneException(String connectionId) {
			super("Connection " + connectionId + " is gone");
		}

	}

}
