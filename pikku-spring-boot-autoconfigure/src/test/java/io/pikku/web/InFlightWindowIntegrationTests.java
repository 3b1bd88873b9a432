package io.pikku.web;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.pikku.channel.runtime.ChannelListener;
import io.pikku.channel.runtime.ConnectionInfo;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that sends calls faster than they complete (each takes 100 ms, answered
 * asynchronously): the server reads at most a window of them ahead, so the client is
 * slowed by TCP rather than buffered, and every call is still answered in order.
 */
@SpringBootTest(classes = { TestChannels.class, InFlightWindowIntegrationTests.FramesConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class InFlightWindowIntegrationTests {

	private static final int WINDOW = 32;

	private static final int CALLS = 200;

	@LocalServerPort
	int port;

	@Autowired
	Frames frames;

	@Test
	void theServerReadsAWindowOfCallsAheadAndAnswersThemAllInOrder() throws Exception {
		try (Socket socket = RawHandshake.open(this.port, "/rooms/window", 0)) {
			await().until(() -> this.frames.received.get() == 0);
			OutputStream out = socket.getOutputStream();
			for (int i = 0; i < CALLS; i++) {
				out.write(RawHandshake.textFrame("{\"action\":\"slow\",\"a\":" + i + ",\"b\":0}"));
			}
			out.flush();
			Thread.sleep(1000);
			// 200 calls of 100 ms each: after 1 s about 10 are answered, and no more than
			// a
			// window's worth ahead of them have been read.
			int read = this.frames.received.get();
			System.out.printf("%d calls sent at once, %d read after 1 s%n", CALLS, read);
			assertThat(read).as("frames read after 1 s").isLessThanOrEqualTo(10 + WINDOW + 2);
		}
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/order")) {
			client.receive();
			for (int i = 0; i < 40; i++) {
				client.send("{\"action\":\"slow\",\"a\":" + i + ",\"b\":0}");
			}
			for (int i = 0; i < 40; i++) {
				assertThat(client.receive().path("sum").intValue()).isEqualTo(i);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class FramesConfiguration {

		@Bean
		Frames frames() {
			return new Frames();
		}

	}

	/** Counts the frames the channels read. */
	static class Frames implements ChannelListener {

		final AtomicInteger received = new AtomicInteger();

		@Override
		public void opened(ConnectionInfo connection) {
			this.received.set(0);
		}

		@Override
		public void received(ConnectionInfo connection) {
			this.received.incrementAndGet();
		}

	}

}
