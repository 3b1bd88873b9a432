package io.pikku.web;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops reading with far less queued than the send buffer limit is
 * closed by the send time limit, not before it, while the sender gets everything.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pikku.send-buffer-limit=64MB", "pikku.send-time-limit=2s" })
class SendTimeLimitIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@Test
	void aSubscriberWhoseQueueStopsMovingIsClosedAfterTheSendTimeLimit() throws Exception {
		try (Socket stalled = RawHandshake.open(this.port, "/broadcast", 4096);
				WebSocketTestClient sender = WebSocketTestClient
					.connect("ws://localhost:" + this.port + "/broadcast")) {
			sender.receive();
			await().until(() -> this.runtime.connectionCount("broadcast") == 2);
			long start = System.nanoTime();
			// 8 MB to each subscriber: more than the kernel buffers of a connection
			// (4 MB at most here), an eighth of the send buffer limit.
			sender.send("{\"action\":\"blast\",\"count\":800,\"size\":10000,\"pauseEvery\":0}");
			List<Integer> got = new ArrayList<>();
			boolean answered = false;
			while (got.size() < 800 || !answered) {
				JsonNode message = sender.receive();
				if (message.has("n")) {
					got.add(message.path("n").intValue());
				}
				else {
					assertThat(message.path("sent").intValue()).isEqualTo(800);
					answered = true;
				}
			}
			assertThat(got).isSorted().hasSize(800).doesNotHaveDuplicates();
			await().atMost(Duration.ofSeconds(15)).until(() -> this.runtime.connectionCount("broadcast") == 1);
			assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1900);
			assertThat(sender.call("{\"action\":\"echo\",\"text\":\"still here\"}").path("text").stringValue())
				.isEqualTo("still here");
		}
	}

}
