package io.pikku.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pikku.client.PikkuClient;
import io.pikku.client.PikkuClientException;
import io.pikku.client.PikkuConnection;

/**
 * A tester's connection over a real socket: the Java client, used as a pipe for raw
 * frames.
 */
final class SocketTransport implements Transport {

	private final PikkuConnection connection;

	private SocketTransport(PikkuConnection connection) {
		this.connection = connection;
	}

	static SocketTransport connect(PikkuClient client, String path, Map<String, List<String>> query, Inbox inbox,
			Duration timeout) {
		PikkuConnection connection;
		try {
			connection = client.connect(path, Map.of(), query).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | CompletionException ex) {
			if (ex.getCause() instanceof PikkuClientException failure) {
				throw failure;
			}
			throw new IllegalStateException("Could not connect to " + path, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Could not connect to " + path + " within " + timeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		connection.onMessage(inbox::add);
		connection.closed().thenAccept(inbox::closed);
		return new SocketTransport(connection);
	}

	@Override
	public void send(String frame) {
		try {
			this.connection.send(frame).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException failure) ? failure : ex;
		}
	}

	@Override
	public void close() {
		this.connection.close();
	}

}
