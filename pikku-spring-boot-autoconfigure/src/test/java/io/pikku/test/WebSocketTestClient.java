package io.pikku.test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real WebSocket client over a real socket (the JDK's), for tests: it records every
 * frame it receives and how the connection closed.
 */
public final class WebSocketTestClient implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Closed> closed = new CompletableFuture<>();

	private final WebSocket socket;

	private WebSocketTestClient(URI uri, Map<String, String> headers) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT);
		headers.forEach(builder::header);
		this.socket = builder.buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * Connects to a WebSocket URI, e.g. {@code ws://localhost:8080/echo}.
	 * @param uri the URI
	 * @return the connected client
	 */
	public static WebSocketTestClient connect(String uri) {
		return new WebSocketTestClient(URI.create(uri), Map.of());
	}

	/**
	 * Connects with extra handshake headers.
	 * @param uri the URI
	 * @param headers the headers
	 * @return the connected client
	 */
	public static WebSocketTestClient connect(String uri, Map<String, String> headers) {
		return new WebSocketTestClient(URI.create(uri), headers);
	}

	public WebSocketTestClient send(String text) {
		this.socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
		return this;
	}

	public WebSocketTestClient sendPart(String text, boolean last) {
		this.socket.sendText(text, last).orTimeout(10, TimeUnit.SECONDS).join();
		return this;
	}

	public WebSocketTestClient sendBinary(byte[] data) {
		return sendBinaryPart(data, true);
	}

	public WebSocketTestClient sendBinaryPart(byte[] data, boolean last) {
		this.socket.sendBinary(ByteBuffer.wrap(data), last).orTimeout(10, TimeUnit.SECONDS).join();
		return this;
	}

	/**
	 * The next text frame, as JSON; fails if none arrives in time or it is binary.
	 * @return the frame
	 */
	public JsonNode receive() {
		Object message = next();
		if (!(message instanceof String text)) {
			return fail("Expected a text frame but got " + message);
		}
		return json.readTree(text);
	}

	/**
	 * Sends a frame and returns the next text frame.
	 * @param text the frame to send
	 * @return the next frame received
	 */
	public JsonNode call(String text) {
		send(text);
		return receive();
	}

	public String receiveText() {
		Object message = next();
		if (!(message instanceof String text)) {
			return fail("Expected a text frame but got " + message);
		}
		return text;
	}

	public byte[] receiveBinary() {
		Object message = next();
		if (!(message instanceof byte[] bytes)) {
			return fail("Expected a binary frame but got " + message);
		}
		return bytes;
	}

	private Object next() {
		try {
			Object message = this.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (message == null) {
				return fail("No message within " + TIMEOUT
						+ (this.closed.isDone() ? "; closed: " + this.closed.join() : ""));
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Asserts that nothing arrives for a while.
	 * @param wait how long to wait
	 */
	public void assertNoMessage(Duration wait) throws InterruptedException {
		assertThat(this.received.poll(wait.toMillis(), TimeUnit.MILLISECONDS)).isNull();
	}

	/**
	 * Waits for the server to close the connection.
	 * @return the close code and reason
	 */
	public Closed awaitClose() {
		return this.closed.orTimeout(10, TimeUnit.SECONDS).join();
	}

	public boolean isClosed() {
		return this.closed.isDone();
	}

	@Override
	public void close() {
		if (!this.socket.isOutputClosed()) {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
				.orTimeout(5, TimeUnit.SECONDS)
				.exceptionally((ex) -> null);
		}
		this.closed.completeOnTimeout(new Closed(-1, "client closed"), 5, TimeUnit.SECONDS).join();
		this.socket.abort();
	}

	/**
	 * How the connection closed.
	 *
	 * @param code the close code
	 * @param reason the close reason
	 */
	public record Closed(int code, String reason) {
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				WebSocketTestClient.this.received.add(this.text.toString());
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.binary.writeBytes(bytes);
			if (last) {
				WebSocketTestClient.this.received.add(this.binary.toByteArray());
				this.binary.reset();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			WebSocketTestClient.this.closed.complete(new Closed(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			WebSocketTestClient.this.closed.complete(new Closed(-1, String.valueOf(error)));
		}

	}

}
