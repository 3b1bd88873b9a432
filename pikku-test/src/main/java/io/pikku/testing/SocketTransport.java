package io.pikku.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
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

	static SocketTransport connect(PikkuClient client, String pathAndQuery, Inbox inbox, Duration timeout) {
		int question = pathAndQuery.indexOf('?');
		String path = (question >= 0) ? pathAndQuery.substring(0, question) : pathAndQuery;
		Map<String, List<String>> query = (question >= 0) ? Queries.parse(pathAndQuery.substring(question + 1))
				: new LinkedHashMap<>();
		PikkuConnection connection;
		try {
			connection = client.connect(path, Map.of(), query).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | CompletionException ex) {
			if (ex.getCause() instanceof PikkuClientException failure) {
				throw failure;
			}
			throw new IllegalStateException("Could not connect to " + pathAndQuery, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Could not connect to " + pathAndQuery + " within " + timeout.toMillis() + " ms");
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
