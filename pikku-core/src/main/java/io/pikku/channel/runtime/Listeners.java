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
	public void opened(OpenChannel channel) {
		each((listener) -> listener.opened(channel));
	}

	@Override
	public void closed(OpenChannel channel) {
		each((listener) -> listener.closed(channel));
	}

	@Override
	public void received(OpenChannel channel) {
		each((listener) -> listener.received(channel));
	}

	@Override
	public void sent(OpenChannel channel) {
		each((listener) -> listener.sent(channel));
	}

	@Override
	public void called(OpenChannel channel, String action, String outcome, long nanos) {
		each((listener) -> listener.called(channel, action, outcome, nanos));
	}

	@Override
	public void failed(OpenChannel channel, String code) {
		each((listener) -> listener.failed(channel, code));
	}

}
