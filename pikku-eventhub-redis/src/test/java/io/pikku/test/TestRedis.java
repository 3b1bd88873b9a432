package io.pikku.test;

import java.io.IOException;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis server for tests: a container when a Docker engine answers, the embedded
 * Redis binary when none does (or when {@code -Dpikku.test.redis=embedded}). Which one,
 * and why, is in {@link #reason()}.
 */
public final class TestRedis implements AutoCloseable {

	/** The image of the container: the same Redis as the embedded binary. */
	public static final DockerImageName IMAGE = DockerImageName.parse("redis:7.0");

	private static volatile Boolean dockerAvailable;

	private final Kind kind;

	private final String reason;

	private final GenericContainer<?> container;

	private final EmbeddedRedis embedded;

	private TestRedis(Kind kind, String reason, GenericContainer<?> container, EmbeddedRedis embedded) {
		this.kind = kind;
		this.reason = reason;
		this.container = container;
		this.embedded = embedded;
	}

	/**
	 * Starts a server: a container when a Docker engine answers, else the embedded
	 * binary.
	 * @return the running server
	 */
	@SuppressWarnings("resource")
	public static TestRedis start() {
		String forced = System.getProperty("pikku.test.redis", "");
		if (forced.equals("embedded")) {
			return new TestRedis(Kind.EMBEDDED, "-Dpikku.test.redis=embedded: the embedded Redis 7.0 binary", null,
					EmbeddedRedis.start());
		}
		if (dockerAvailable()) {
			GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379);
			container.start();
			return new TestRedis(Kind.CONTAINER, "a Docker engine answered: Redis 7.0 in a container (" + IMAGE + ")",
					container, null);
		}
		return new TestRedis(Kind.EMBEDDED,
				"no Docker engine answered: the embedded Redis 7.0 binary (org.signal:embedded-redis)", null,
				EmbeddedRedis.start());
	}

	/**
	 * Whether Testcontainers finds a Docker engine that answers; asked once per JVM.
	 * @return whether containers can run
	 */
	public static boolean dockerAvailable() {
		Boolean available = dockerAvailable;
		if (available == null) {
			try {
				available = DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException | LinkageError ex) {
				available = false;
			}
			dockerAvailable = available;
		}
		return available;
	}

	public Kind kind() {
		return this.kind;
	}

	/**
	 * Why this kind of server was picked.
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

	public String host() {
		return (this.container != null) ? this.container.getHost() : "127.0.0.1";
	}

	public int port() {
		return (this.container != null) ? this.container.getMappedPort(6379) : this.embedded.port();
	}

	/**
	 * Takes the server away, as an outage would: the embedded server stops, the container
	 * is paused (so that its port stays the same).
	 */
	public void stop() {
		if (this.container != null) {
			this.container.getDockerClient().pauseContainerCmd(this.container.getContainerId()).exec();
		}
		else {
			this.embedded.stop();
		}
	}

	/** Brings it back on the same port, empty. */
	public void restart() {
		if (this.container != null) {
			this.container.getDockerClient().unpauseContainerCmd(this.container.getContainerId()).exec();
			try {
				this.container.execInContainer("redis-cli", "FLUSHALL");
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		else {
			this.embedded.restart();
		}
	}

	@Override
	public void close() {
		if (this.container != null) {
			this.container.stop();
		}
		else {
			this.embedded.close();
		}
	}

	@Override
	public String toString() {
		return "Redis at " + host() + ":" + port() + ", " + this.reason;
	}

	/**
	 * What runs the server.
	 */
	public enum Kind {

		/** A Redis container, through Testcontainers. */
		CONTAINER,

		/** The Redis binary shipped in the embedded-redis artifact. */
		EMBEDDED

	}

}
