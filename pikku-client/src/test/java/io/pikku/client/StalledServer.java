package io.pikku.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pikku.test.HttpHead;

/**
 * A WebSocket server that accepts the upgrade and then never reads: what the client sends
 * piles up in the socket buffers, as with a server that has stalled.
 */
final class StalledServer implements AutoCloseable {

	private final ServerSocket server;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	StalledServer() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "stalled-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		try {
			while (true) {
				Socket socket = this.server.accept();
				this.accepted.add(socket);
				String head = HttpHead.read(socket.getInputStream());
				String key = HttpHead.header(head, "Sec-WebSocket-Key");
				if (key == null) {
					throw new IllegalStateException("No Sec-WebSocket-Key in " + head);
				}
				socket.getOutputStream()
					.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
							+ "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	private static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

}
