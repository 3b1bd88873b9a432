package io.pikku.bench.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * A benchmark connection that speaks a {@link Protocol}: opened (and, for STOMP,
 * connected) once, then handed from one scenario step to the next by swapping its message
 * handler.
 */
public final class Peer implements WsClient.Listener {

	private static final Handler IGNORE = (peer, buffer, index, length, receivedAt) -> {
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
		TextFrame connect = protocol.connect();
		if (connect != null) {
			peer.handler = (self, buffer, index, length, receivedAt) -> {
				self.handler = IGNORE;
				String text = buffer.toString(index, length, StandardCharsets.UTF_8);
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
	 * Sets what receives this connection's next messages (on its event loop).
	 * @param handler the handler
	 */
	public void handle(Handler handler) {
		this.handler = handler;
	}

	/**
	 * Sends a frame and flushes it; safe from any thread.
	 * @param frame the frame
	 */
	public void send(TextFrame frame) {
		this.connection.send(frame);
	}

	/**
	 * Writes encoded frames, flushed when the current read is done or by
	 * {@link #flush()}; on the event loop only.
	 * @param frames the frames' bytes (released once written)
	 */
	public void write(ByteBuf frames) {
		this.connection.write(frames);
	}

	/** Flushes what {@link #write(ByteBuf)} wrote; on the event loop only. */
	public void flush() {
		this.connection.flush();
	}

	/**
	 * The allocator of buffers to {@link #write(ByteBuf)}.
	 * @return the allocator
	 */
	public ByteBufAllocator alloc() {
		return this.connection.alloc();
	}

	/**
	 * The event loop this connection reads on.
	 * @return the event loop
	 */
	public EventLoop eventLoop() {
		return this.connection.eventLoop();
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
	public void onText(WsClient.WsConnection connection, ByteBuf buffer, int index, int length, long receivedAt) {
		this.handler.onMessage(this, buffer, index, length, receivedAt);
	}

	@Override
	public void onReadComplete(WsClient.WsConnection connection) {
		this.handler.onReadComplete(this);
	}

	/** Receives messages on the connection's event loop. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * A message arrived.
		 * @param peer the connection
		 * @param buffer holds its UTF-8 bytes, valid during the call only
		 * @param index where they start
		 * @param length how many
		 * @param receivedAt {@link System#nanoTime()} when the read that brought it
		 * returned
		 */
		void onMessage(Peer peer, ByteBuf buffer, int index, int length, long receivedAt);

		/**
		 * The messages of one read have all arrived; what is written now is flushed with
		 * them.
		 * @param peer the connection
		 */
		default void onReadComplete(Peer peer) {
		}

	}

}
