package io.pikku.channel.runtime;

import java.nio.ByteBuffer;
import java.util.List;

import io.pikku.channel.ChannelClosedException;
import io.pikku.channel.ChannelMiddleware;
import io.pikku.channel.ChannelState;
import io.pikku.channel.PikkuChannel;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.eventhub.Delivery;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The channel as functions see it: sends (through channel middleware), close, the
 * lifecycle state and the connection's own state. Any thread may send.
 */
final class OutboundChannel implements PikkuChannel<Object> {

	private static final Logger logger = LoggerFactory.getLogger(OutboundChannel.class);

	private final OpenChannel connection;

	private final ChannelConnection transport;

	private final List<ChannelMiddleware> middleware;

	private volatile ChannelState lifecycle = ChannelState.INITIAL;

	private volatile @Nullable Object state;

	OutboundChannel(OpenChannel connection, ChannelConnection transport, List<ChannelMiddleware> middleware) {
		this.connection = connection;
		this.transport = transport;
		this.middleware = middleware;
	}

	@Override
	public String channelId() {
		return this.connection.id();
	}

	@Override
	public String name() {
		return this.connection.name();
	}

	@Override
	public Object openingData() {
		return this.connection.openingData();
	}

	@Override
	public void send(Object message) {
		requireOpen();
		if (this.middleware.isEmpty()) {
			write(this.connection.services().mapper().writeValueAsString(message));
		}
		else {
			sendThroughMiddleware(
					(message instanceof JsonNode node) ? node.deepCopy() : this.connection.services().tree(message));
		}
	}

	/**
	 * Sends JSON text as it is, past channel middleware.
	 * @param json the message
	 */
	void sendJson(String json) {
		requireOpen();
		write(json);
	}

	@Override
	public void sendBinary(ByteBuffer data) {
		requireOpen();
		this.transport.sendBinary(data);
		this.connection.services().listeners().sent(this.connection.info());
	}

	@Override
	public void close(int code, @Nullable String reason) {
		if (this.lifecycle != ChannelState.CLOSED) {
			this.lifecycle = ChannelState.CLOSED;
			this.transport.close(code, reason);
		}
	}

	@Override
	public ChannelState state() {
		return this.lifecycle;
	}

	void opened() {
		this.lifecycle = ChannelState.OPEN;
	}

	/**
	 * Opens a channel rebuilt from the store, with the state recorded there.
	 * @param state the recorded state, or {@code null}
	 */
	void restored(@Nullable JsonNode state) {
		this.state = state;
		this.lifecycle = ChannelState.OPEN;
	}

	void closed() {
		this.lifecycle = ChannelState.CLOSED;
	}

	boolean isOpen() {
		return this.lifecycle == ChannelState.OPEN;
	}

	@Override
	public void setState(Object state) {
		stateChanged(state);
	}

	@Override
	public <T> @Nullable T getState(Class<T> type) {
		Object state = this.state;
		if (state instanceof JsonNode recorded && !type.isInstance(recorded)) {
			// restored from the store as JSON: converted once, then kept as that type
			T converted = this.connection.services().mapper().treeToValue(recorded, type);
			this.state = converted;
			return converted;
		}
		return type.cast(state);
	}

	@Override
	public void clearState() {
		stateChanged(null);
	}

	private void stateChanged(@Nullable Object state) {
		this.state = state;
		this.connection.recorder().stateChanged(state);
	}

	/**
	 * Delivers an EventHub message, through channel middleware.
	 * @param delivery the message
	 * @return {@code false} if the connection is closed
	 */
	boolean deliver(Delivery delivery) {
		if (!isOpen()) {
			return false;
		}
		try {
			if (this.middleware.isEmpty()) {
				write(delivery.text());
			}
			else {
				sendThroughMiddleware(delivery.message().deepCopy());
			}
			return true;
		}
		catch (ChannelClosedException ex) {
			return false;
		}
	}

	/**
	 * Writes a frame if the connection is open, and drops it quietly if it closed
	 * meanwhile.
	 * @param json the frame
	 * @param what what it is, for the log
	 */
	void writeQuietly(String json, String what) {
		try {
			if (isOpen()) {
				write(json);
			}
		}
		catch (ChannelClosedException ex) {
			logger.debug("{} dropped: connection {} closed", what, this.connection.id());
		}
	}

	/** Hands JSON text to the transport and counts it as sent. */
	private void write(String json) {
		this.transport.sendText(json);
		this.connection.services().listeners().sent(this.connection.info());
	}

	private void requireOpen() {
		if (this.lifecycle != ChannelState.OPEN) {
			throw new ChannelClosedException(this.connection.id());
		}
	}

	private void sendThroughMiddleware(JsonNode message) {
		CallContext context = new CallContext(this.connection, PikkuMiddleware.Kind.MESSAGE, null, null);
		try {
			outbound(0, message, context);
		}
		catch (ChannelClosedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			logger.error("Channel middleware of channel '{}' failed; message to connection {} dropped", name(),
					this.connection.id(), ex);
		}
	}

	private void outbound(int index, @Nullable Object message, CallContext context) throws Exception {
		if (message == null) {
			return;
		}
		if (message instanceof List<?> messages) {
			for (Object each : messages) {
				outbound(index, each, context);
			}
			return;
		}
		if (index == this.middleware.size()) {
			write(this.connection.services().mapper().writeValueAsString(message));
			return;
		}
		JsonNode tree = (message instanceof JsonNode node) ? node : this.connection.services().tree(message);
		this.middleware.get(index).handle(tree, context, (next) -> outbound(index + 1, next, context));
	}

	@Override
	public String toString() {
		return this.connection.toString();
	}

}
