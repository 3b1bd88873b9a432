package io.pikku.channel.runtime;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.PikkuSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Messages to users, on every instance: sends to and closes every connection of a user.
 * They travel between instances as the EventHub's runtime messages, which no topic name
 * reaches.
 */
final class UserRelay {

	private static final Logger logger = LoggerFactory.getLogger(UserRelay.class);

	private final RuntimeServices services;

	private final Collection<OpenChannel> connections;

	private volatile boolean listening;

	UserRelay(RuntimeServices services, Collection<OpenChannel> connections) {
		this.services = services;
		this.connections = connections;
	}

	void listen(boolean listening) {
		this.listening = listening;
	}

	CompletionStage<Void> sendToUser(String userId, Object message) {
		return toRuntimes(Map.of("user", userId, "kind", "send", "message", message));
	}

	CompletionStage<Void> closeUser(String userId, int code, String reason) {
		return toRuntimes(Map.of("user", userId, "kind", "close", "code", code, "reason", reason));
	}

	private CompletionStage<Void> toRuntimes(Map<String, Object> message) {
		String json;
		try {
			json = this.services.mapper().writeValueAsString(message);
		}
		catch (JacksonException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.services.eventHub().sendToRuntimes(json);
	}

	/**
	 * Acts on a runtime message from any instance, this one included.
	 * @param json the message
	 */
	void received(String json) {
		if (!this.listening) {
			return;
		}
		JsonNode control;
		try {
			control = this.services.mapper().readTree(json);
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring a runtime message that is not JSON");
			return;
		}
		String userId = control.path("user").asString(null);
		if (userId == null) {
			return;
		}
		for (OpenChannel channel : this.connections) {
			PikkuSession session = channel.session();
			if (session == null || !userId.equals(session.userId())) {
				continue;
			}
			try {
				if ("close".equals(control.path("kind").asString(null))) {
					channel.channel().close(control.path("code").asInt(1008), control.path("reason").asString(null));
				}
				else {
					channel.channel().send(control.path("message"));
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Message to user {} not delivered to connection {}", userId, channel.id());
			}
		}
	}

}
