package io.pikku.channel.runtime;

import java.util.Objects;

import io.pikku.channel.PikkuChannel;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a function, a hook and middleware see of one call: the connection's channel and
 * session, the action and its input.
 */
final class CallContext implements PikkuMiddleware.Call {

	private final OpenChannel connection;

	private final PikkuMiddleware.Kind kind;

	private final @Nullable String action;

	private final @Nullable CallInput input;

	OpenChannel connection() {
		return this.connection;
	}

	CallContext(OpenChannel connection, PikkuMiddleware.Kind kind, @Nullable String action, @Nullable CallInput input) {
		this.connection = connection;
		this.kind = kind;
		this.action = action;
		this.input = input;
	}

	@Override
	public PikkuMiddleware.Kind kind() {
		return this.kind;
	}

	@Override
	public @Nullable JsonNode input() {
		return (this.input != null) ? this.input.tree() : null;
	}

	@Override
	public PikkuChannel<Object> channel() {
		return this.connection.outbound();
	}

	@Override
	public @Nullable String action() {
		return this.action;
	}

	@Override
	public @Nullable PikkuSession session() {
		return this.connection.session();
	}

	@Override
	public void setSession(PikkuSession session) {
		this.connection.sessionChanged(Objects.requireNonNull(session, "session"));
	}

	@Override
	public void clearSession() {
		this.connection.sessionChanged(null);
	}

}
