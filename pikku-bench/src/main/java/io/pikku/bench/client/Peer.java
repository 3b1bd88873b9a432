package io.pikku.bench.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;

/**
 * A benchmark connection that speaks a {@link Protocol}: opened (and, for STOMP,
 * connected) once, then handed from one scenario step to the next by swapping its frame
 * handler.
 */
public final class Peer implements WsClient.Listener {

	private static final Handler IGNORE = (peer, frame) -> {
	};

	private volatile Handler handler = IGNORE;

	private WsClient.WsConnection connection;

	private Peer() {
	}

	/**
	 * Opens connections, a bounded number of handshakes at a time.
	 * @param client the client
	 * @param uri the server's WebSocket URI
	 * @param protocol what the server speaks
	 * @param count how many
	 * @return the open connections
	 */
	public static List<Peer> open(WsClient client, URI uri, Protocol protocol, int count) {
		List<CompletableFuture<Peer>> opening = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			opening.add(open(client, uri, protocol));
		}
		List<Peer> peers = new ArrayList<>(count);
		for (CompletableFuture<Peer> peer : opening) {
			peers.add(peer.orTimeout(60, TimeUnit.SECONDS).join());
		}
		return peers;
	}

	private static CompletableFuture<Peer> open(WsClient client, URI uri, Protocol protocol) {
		Peer peer = new Peer();
		CompletableFuture<Peer> ready = new CompletableFuture<>();
		byte[] connect = protocol.connect();
		if (connect != null) {
			peer.handler = (self, frame) -> {
				self.handler = IGNORE;
				String text = frame.toString(StandardCharsets.UTF_8);
				if (text.startsWith("CONNECTED")) {
					ready.complete(self);
				}
				else {
					ready.completeExceptionally(new IllegalStateException("Not connected: " + text));
				}
			};
		}
		client.connect(uri, peer).whenComplete((connection, failure) -> {
			if (failure != null) {
				ready.completeExceptionally(failure);
				return;
			}
			peer.connection = connection;
			if (connect != null) {
				connection.send(connect);
			}
			else {
				ready.complete(peer);
			}
		});
		return ready;
	}

	/**
	 * Sets what receives this connection's next frames (on its event loop).
	 * @param handler the handler
	 */
	public void handle(Handler handler) {
		this.handler = handler;
	}

	/**
	 * Sends a frame; safe from any thread.
	 * @param frame the frame's bytes
	 */
	public void send(byte[] frame) {
		this.connection.send(frame);
	}

	/**
	 * Runs a task on this connection's event loop.
	 * @param task the task
	 */
	public void execute(Runnable task) {
		this.connection.execute(task);
	}

	/** Closes the connection. */
	public void close() {
		this.handler = IGNORE;
		this.connection.close();
	}

	@Override
	public void onText(WsClient.WsConnection connection, ByteBuf text) {
		this.handler.onFrame(this, text);
	}

	/** Receives frames on the connection's event loop. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * A frame arrived.
		 * @param peer the connection
		 * @param frame its bytes, valid during the call
		 */
		void onFrame(Peer peer, ByteBuf frame);

	}

}
