package io.pikku.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Iterator;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import redis.embedded.exceptions.EmbeddedRedisException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The embedded Redis that the suite's tests run on, when another process takes the port
 * it picked before Redis binds it.
 */
class EmbeddedRedisTests {

	@Test
	void aPortTakenBeforeRedisBindsItIsPassedOverForTheNext() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int free = EmbeddedRedis.freePort();
			Iterator<Integer> ports = List.of(taken.getLocalPort(), free).iterator();
			try (EmbeddedRedis redis = EmbeddedRedis.start(ports::next)) {
				assertThat(redis.port()).isEqualTo(free);
				assertThat(ping(redis.port())).isEqualTo("PONG");
			}
		}
	}

	@Test
	void givesUpWithTheReasonWhenEveryPortItTriesIsTaken() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThatIllegalStateException().isThrownBy(() -> EmbeddedRedis.start(taken::getLocalPort))
				.withMessage("Redis could not listen on any of 5 free ports")
				.havingCause()
				.isInstanceOf(EmbeddedRedisException.class)
				.withMessageContaining("Failed listening on port " + taken.getLocalPort());
		}
	}

	static String ping(int port) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().ping();
		}
		finally {
			client.shutdown();
		}
	}

}
