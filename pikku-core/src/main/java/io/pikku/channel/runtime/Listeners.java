package io.pikku.channel.runtime;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All the listeners of a runtime as one; a listener that throws is logged and ignored.
 * Called for every frame: nothing is allocated on the way to the listeners.
 */
final class Listeners implements ChannelListener {

	private static final Logger logger = LoggerFactory.getLogger(Listeners.class);

	private final ChannelListener[] listeners;

	Listeners(List<ChannelListener> listeners) {
		this.listeners = listeners.toArray(ChannelListener[]::new);
	}

	boolean isEmpty() {
		return this.listeners.length == 0;
	}

	private static void failed(ChannelListener listener, RuntimeException ex) {
		logger.warn("Channel listener {} failed", listener, ex);
	}

	@Override
	public void opened(ConnectionInfo connection) {
		for (ChannelListener listener : this.listeners) {
			try {
				listener.opened(connection);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void closed(ConnectionInfo connection) {
		for (ChannelListener listener : this.listeners) {
			try {
				listener.closed(connection);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void received(ConnectionInfo connection) {
		for (ChannelListener listener : this.listeners) {
			try {
				listener.received(connection);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void sent(ConnectionInfo connection) {
		for (ChannelListener listener : this.listeners) {
			try {
				listener.sent(connection);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void called(ConnectionInfo connection, String action, String outcome, long nanos) {
		for (ChannelListener listener : this.listeners) {
			try {
				listener.called(connection, action, outcome, nanos);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void failed(ConnectionInfo connection, String code) {
		for (ChannelListener listener : this.listeners) {
			try {
				listener.failed(connection, code);
			}
			catch (RuntimeException ex) {
				failed(listener, ex);
			}
		}
	}

}
