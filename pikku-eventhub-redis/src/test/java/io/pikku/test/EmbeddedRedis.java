package io.pikku.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.function.IntSupplier;

import redis.embedded.RedisServer;
import redis.embedded.exceptions.EmbeddedRedisException;

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

	/** How many ports a start tries before it gives up. */
	static final int ATTEMPTS = 5;

	/**
	 * Starts a server on a free port.
	 * @return the running server
	 */
	public static EmbeddedRedis start() {
		return start(EmbeddedRedis::freePort);
	}

	/**
	 * Starts a server on the first port that Redis can bind. A port found free can be
	 * taken by another process before Redis binds it (the suite runs many servers side by
	 * side): then Redis exits, and the next port is tried.
	 * @param ports where to try
	 * @return the running server
	 */
	static EmbeddedRedis start(IntSupplier ports) {
		EmbeddedRedisException failure = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			EmbeddedRedis redis = new EmbeddedRedis(ports.getAsInt());
			try {
				redis.server.start();
				return redis;
			}
			catch (EmbeddedRedisException ex) {
				failure = ex;
			}
		}
		throw new IllegalStateException("Redis could not listen on any of " + ATTEMPTS + " free ports", failure);
	}

	private static RedisServer newServer(int port) {
		return RedisServer.builder()
			.port(port)
			.setting("bind 127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
	}

	static int freePort() {
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
