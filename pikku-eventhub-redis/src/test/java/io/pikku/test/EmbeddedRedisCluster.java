package io.pikku.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.embedded.RedisExecProvider;

/**
 * A real Redis Cluster for tests and benchmarks, with no Docker and no {@code redis-cli}:
 * masters (and optionally one replica each) run from the Redis 7.0 binary that ships
 * inside the embedded-redis artifact, each in a folder of its own on a free loopback
 * port, joined with {@code CLUSTER MEET} and given slots with
 * {@code CLUSTER ADDSLOTSRANGE}. Nodes keep no data on disk, only their
 * {@code nodes.conf}, so a node that is stopped and started again rejoins with its
 * identity and (unless a replica took them over) its slots.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** How many ports the start of a node tries before it gives up. */
	static final int ATTEMPTS = 5;

	/** What Redis logs once it listens on its port and its cluster bus port. */
	private static final String READY = "Ready to accept connections";

	private final Path directory;

	private final File executable;

	private final List<String> settings;

	private final List<Node> nodes = new ArrayList<>();

	/** Talks to one node at a time, for setting up and inspecting the cluster. */
	private final RedisClient client = RedisClient.create();

	private EmbeddedRedisCluster(Path directory, File executable, List<String> settings) {
		this.directory = directory;
		this.executable = executable;
		this.settings = settings;
	}

	/**
	 * Starts a cluster and waits until it serves every slot.
	 * @param masters how many masters (at least 3)
	 * @param replicasPerMaster replicas of each master (0 or 1)
	 * @param settings more command-line settings of every node, e.g.
	 * {@code "--rename-command", "SPUBLISH", "\"\""}
	 * @return the running cluster
	 */
	public static EmbeddedRedisCluster start(int masters, int replicasPerMaster, String... settings) {
		return start(EmbeddedRedisCluster::freePort, masters, replicasPerMaster, settings);
	}

	/**
	 * Starts a cluster whose nodes try the given ports.
	 * @param ports where nodes try to listen, each also on its port + 10000
	 * @param masters how many masters (at least 3)
	 * @param replicasPerMaster replicas of each master (0 or 1)
	 * @param settings more command-line settings of every node
	 * @return the running cluster
	 */
	static EmbeddedRedisCluster start(IntSupplier ports, int masters, int replicasPerMaster, String... settings) {
		if (masters < 3) {
			throw new IllegalArgumentException("A Redis Cluster needs at least 3 masters");
		}
		try {
			EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(Files.createTempDirectory("pikku-redis-cluster"),
					RedisExecProvider.defaultProvider().get(), List.of(settings));
			try {
				for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
					cluster.nodes.add(cluster.startNode(ports));
				}
				cluster.create(masters, replicasPerMaster);
				return cluster;
			}
			catch (RuntimeException ex) {
				cluster.close();
				throw ex;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts a node on the first port that it can bind. A port found free can be taken by
	 * another process before Redis binds it (the suite runs many servers side by side):
	 * then Redis exits, and the next port is tried.
	 */
	private Node startNode(IntSupplier ports) throws IOException {
		NodeExited failure = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Node node = new Node(this, ports.getAsInt());
			try {
				node.start();
				return node;
			}
			catch (NodeExited ex) {
				failure = ex;
			}
		}
		throw new IllegalStateException("No Redis node could listen on any of " + ATTEMPTS + " free ports", failure);
	}

	private void create(int masters, int replicasPerMaster) {
		Node first = this.nodes.get(0);
		for (Node node : this.nodes.subList(1, this.nodes.size())) {
			first.run((redis) -> redis.clusterMeet("127.0.0.1", node.port));
		}
		int start = 0;
		for (int i = 0; i < masters; i++) {
			int end = (i == masters - 1) ? SLOTS - 1 : start + SLOTS / masters - 1;
			int from = start;
			this.nodes.get(i).run((redis) -> redis.clusterAddSlotsRange(Range.create(from, end)));
			start = end + 1;
		}
		for (Node node : this.nodes) {
			node.id = node.run(RedisCommands::clusterMyId);
		}
		awaitEveryNodeKnowsEveryOther();
		for (int r = 0; r < replicasPerMaster; r++) {
			for (int i = 0; i < masters; i++) {
				Node master = this.nodes.get(i);
				this.nodes.get(masters * (r + 1) + i).run((redis) -> redis.clusterReplicate(master.id));
			}
		}
		awaitHealthy();
	}

	private void awaitEveryNodeKnowsEveryOther() {
		await("every node to know every other", () -> this.nodes.stream()
			.allMatch((node) -> node.run((redis) -> redis.clusterNodes()).lines().count() == this.nodes.size()));
	}

	/**
	 * Waits until every running node says the cluster is ok and every slot has a running
	 * master.
	 */
	public void awaitHealthy() {
		await("the cluster to be healthy", () -> {
			for (Node node : running()) {
				String info = node.run(RedisCommands::clusterInfo);
				if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOTS)) {
					return false;
				}
			}
			return true;
		});
	}

	/**
	 * The {@code host:port} of every node, comma separated, as
	 * {@code spring.data.redis.cluster.nodes} takes them.
	 * @return the nodes
	 */
	public String nodesProperty() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port).collect(Collectors.joining(","));
	}

	/**
	 * Every node, masters first as created.
	 * @return the nodes
	 */
	public List<Node> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * The running node that serves a slot as master now.
	 * @param slot the slot
	 * @return the node
	 */
	public Node masterOf(int slot) {
		for (Node node : running()) {
			String[] line = node.run((redis) -> redis.clusterNodes())
				.lines()
				.filter((each) -> each.contains("myself"))
				.findFirst()
				.orElseThrow()
				.split(" ");
			if (!line[2].contains("master")) {
				continue;
			}
			for (int i = 8; i < line.length; i++) {
				String range = line[i];
				if (range.startsWith("[")) {
					continue;
				}
				int dash = range.indexOf('-');
				int from = Integer.parseInt((dash < 0) ? range : range.substring(0, dash));
				int to = (dash < 0) ? from : Integer.parseInt(range.substring(dash + 1));
				if (slot >= from && slot <= to) {
					return node;
				}
			}
		}
		throw new IllegalStateException("No running master serves slot " + slot);
	}

	private List<Node> running() {
		return this.nodes.stream().filter(Node::isRunning).toList();
	}

	@Override
	public void close() {
		for (Node node : this.nodes) {
			node.kill();
		}
		this.client.shutdown(0, 2, TimeUnit.SECONDS);
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// a temporary folder: the system cleans it up later
		}
	}

	private static void await(String what, java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		RuntimeException last = null;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			sleep(100);
		}
		throw new IllegalStateException("Timed out waiting for " + what, last);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static int freePort() {
		// Cluster nodes also listen on port + 10000 for the cluster bus.
		for (int attempt = 0; attempt < 100; attempt++) {
			try (ServerSocket socket = new ServerSocket(0)) {
				int port = socket.getLocalPort();
				if (port + 10000 <= 65535 && isFree(port + 10000)) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new IllegalStateException("No free port pair for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * One Redis process of the cluster.
	 */
	public static final class Node {

		private final EmbeddedRedisCluster cluster;

		private final int port;

		private final Path folder;

		private volatile String id;

		private Process process;

		Node(EmbeddedRedisCluster cluster, int port) throws IOException {
			this.cluster = cluster;
			this.port = port;
			this.folder = Files.createDirectories(cluster.directory.resolve(Integer.toString(port)));
		}

		public int port() {
			return this.port;
		}

		/**
		 * The node's cluster id.
		 * @return the id
		 */
		public String id() {
			return this.id;
		}

		public synchronized boolean isRunning() {
			return this.process != null && this.process.isAlive();
		}

		/**
		 * Starts the node (again, with the identity and configuration it had) and waits
		 * until it answers.
		 */
		public synchronized void start() {
			if (isRunning()) {
				return;
			}
			List<String> command = new ArrayList<>(List.of(this.cluster.executable.getAbsolutePath(), "--port",
					Integer.toString(this.port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
					"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
					"--cluster-require-full-coverage", "no", "--cluster-replica-validity-factor", "0", "--save", "",
					"--appendonly", "no", "--dir", this.folder.toAbsolutePath().toString()));
			command.addAll(this.cluster.settings);
			try {
				this.process = new ProcessBuilder(command).directory(this.folder.toFile())
					.redirectErrorStream(true)
					.redirectOutput(this.folder.resolve("redis.log").toFile())
					.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			// Its own log says that it listens, not a connection: a connection
			// could reach another process that took the port first.
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!log().contains(READY)) {
				if (!this.process.isAlive()) {
					throw new NodeExited("Redis node " + this.port + " exited: " + log());
				}
				if (System.nanoTime() > deadline) {
					this.process.destroyForcibly();
					throw new IllegalStateException("Timed out waiting for Redis node " + this.port + " to listen");
				}
				sleep(50);
			}
		}

		/** Stops the node as a crash would: no goodbye to the cluster or its clients. */
		public synchronized void kill() {
			if (this.process != null) {
				this.process.destroyForcibly();
				try {
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		private String log() {
			try {
				return Files.readString(this.folder.resolve("redis.log"));
			}
			catch (IOException ex) {
				return ex.toString();
			}
		}

		/**
		 * Runs commands on this node alone.
		 * @param <T> what the commands answer
		 * @param commands the commands
		 * @return their answer
		 */
		public <T> T run(java.util.function.Function<RedisCommands<String, String>, T> commands) {
			try (StatefulRedisConnection<String, String> connection = this.cluster.client
				.connect(RedisURI.create("127.0.0.1", this.port))) {
				return commands.apply(connection.sync());
			}
		}

		@Override
		public String toString() {
			return "Redis node 127.0.0.1:" + this.port;
		}

	}

	/** A node's process exited before it listened, e.g. because its port was taken. */
	static final class NodeExited extends IllegalStateException {

		NodeExited(String message) {
			super(message);
		}

	}

}
