package io.pikku.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded Redis Cluster that the suite's cluster tests and the benchmark run on,
 * when another process takes a node's port before Redis binds it.
 */
class EmbeddedRedisClusterTests {

	@Test
	void aNodeWhosePortIsTakenFirstMovesToAnotherAndTheClusterServesEverySlot() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			AtomicBoolean first = new AtomicBoolean(true);
			try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster
				.start(() -> first.getAndSet(false) ? taken.getLocalPort() : EmbeddedRedisCluster.freePort(), 3, 0)) {
				assertThat(cluster.nodes()).hasSize(3)
					.noneMatch((node) -> node.port() == taken.getLocalPort())
					.allMatch(EmbeddedRedisCluster.Node::isRunning);
				String info = cluster.masterOf(0).run(RedisCommands::clusterInfo);
				assertThat(info).contains("cluster_state:ok", "cluster_slots_ok:16384");
			}
		}
	}

}
