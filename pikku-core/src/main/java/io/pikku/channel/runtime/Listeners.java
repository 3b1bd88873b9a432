package io.pikku.channel.runtime;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All the listeners of a runtime as one; a listener that throws is logged and ignored.
 */
final class Listeners implements ChannelListener {

	private static final Logger logger = LoggerFactory.getLogger(Listeners.class);

	private final List<ChannelListener> listeners;

	Listeners(List<ChannelListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	boolean isEmpty() {
		return this.listeners.isEmpty();
	}

	private void each(Consumer<ChannelListener> event) {
		for (ChannelListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Channel listener {} failed", listener, ex);
			}
		}
	}

	@Override
	public void opened(ConnectionInfo connection) {
		each((listener) -> listener.opened(connection));
	}

	@Override
	public void closed(ConnectionInfo connection) {
		each((listener) -> listener.closed(connection));
	}

	@Override
	public void received(ConnectionInfo connection) {
		each((listener) -> listener.received(connection));
	}

	@Override
	public void sent(ConnectionInfo connection) {
		each((listener) -> listener.sent(connection));
	}

	@Override
	public void called(ConnectionInfo connection, String action, String outcome, long nanos) {
		each((listener) -> listener.called(connection, action, outcome, nanos));
	}

	@Override
	public void failed(ConnectionInfo connection, String code) {
		each((listener) -> listener.failed(connection, code));
	}

}
