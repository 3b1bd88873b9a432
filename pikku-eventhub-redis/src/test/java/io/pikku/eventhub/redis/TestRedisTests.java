package io.pikku.eventhub.redis;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.pikku.test.TestRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Redis the tests of this build use, and why: a container when a Docker engine
 * answers, the embedded binary when none does (as on this project's CI machines).
 */
class TestRedisTests {

	@Test
	void testsUseAContainerWhenDockerAnswersAndTheEmbeddedBinaryOtherwise() throws Exception {
		boolean docker = TestRedis.dockerAvailable();
		boolean forcedEmbedded = "embedded".equals(System.getProperty("pikku.test.redis"));
		try (TestRedis redis = TestRedis.start()) {
			System.out.println("Redis for tests: " + redis);
			assertThat(redis.kind())
				.isEqualTo((docker && !forcedEmbedded) ? TestRedis.Kind.CONTAINER : TestRedis.Kind.EMBEDDED);
			assertThat(redis.reason()).contains(forcedEmbedded ? "-Dpikku.test.redis=embedded"
					: (docker ? "a Docker engine answered" : "no Docker engine answered"));
			assertThat(ping(redis)).isEqualTo("+PONG");
		}
	}

	private static String ping(TestRedis redis) throws Exception {
		try (Socket socket = new Socket(redis.host(), redis.port())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[5];
			int read = in.readNBytes(answer, 0, 5);
			return new String(answer, 0, read, StandardCharsets.US_ASCII);
		}
	}

}
