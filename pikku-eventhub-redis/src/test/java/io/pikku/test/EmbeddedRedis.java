package io.pikku.test;

import java.io.IOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real Redis server (7.0, shipped in the embedded-redis artifact) on a free loopback
 * port, for tests. It keeps no data on disk, so a restart starts empty.
 */
public final class EmbeddedRedis implements AutoCloseable {

	private final int port;

	private RedisServer server;

	private EmbeddedRedis(int port) {
		this.port = port;
		this.server = newServer(port);
	}

	/**
	 * Starts a server on a free port.
	 * @return the running server
	 */
	public static EmbeddedRedis start() {
		EmbeddedRedis redis = new EmbeddedRedis(freePort());
		redis.server.start();
		return redis;
	}

	private static RedisServer newServer(int port) {
		return RedisServer.builder()
			.port(port)
			.setting("bind 127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** Stops the server, as a crash or a restart would. */
	public void stop() {
		this.server.stop();
	}

	/** Starts it again on the same port, empty. */
	public void restart() {
		this.server = newServer(this.port);
		this.server.start();
	}

	@Override
	public void close() {
		if (this.server.isActive()) {
			this.server.stop();
		}
	}

}
