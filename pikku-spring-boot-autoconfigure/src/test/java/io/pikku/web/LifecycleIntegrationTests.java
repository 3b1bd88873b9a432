package io.pikku.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.test.RawHandshake;
import io.pikku.test.WebSocketTestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats and graceful shutdown on a real server of each web stack: a client that
 * vanished without closing is found and cleaned up, and shutdown closes every channel
 * with 1001 after running its onDisconnect.
 */
@ParameterizedClass
@EnumSource(value = WebApplicationType.class, names = { "SERVLET", "REACTIVE" })
class LifecycleIntegrationTests {

	@Parameter
	WebApplicationType stack;

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(TestChannels.class).web(this.stack).run(properties);
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	@Test
	void aClientThatNeverAnswersPingsIsClosedAndCleanedUp() throws Exception {
		try (ConfigurableApplicationContext context = start("--server.port=0", "--pikku.heartbeat.interval=200ms",
				"--pikku.heartbeat.timeout=700ms")) {
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			try (Socket silent = RawHandshake.open(port(context), "/rooms/silent", 0);
					WebSocketTestClient alive = WebSocketTestClient
						.connect("ws://localhost:" + port(context) + "/rooms/alive")) {
				alive.receive();
				await().atMost(Duration.ofSeconds(5)).until(() -> runtime.connectionCount("rooms") == 2);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> TestChannels.disconnected.contains("silent") && runtime.connectionCount("rooms") == 1);
				Thread.sleep(1500);
				assertThat(alive.isClosed()).isFalse();
				assertThat(alive.call("{\"action\":\"echo\",\"text\":\"pong\"}").path("text").stringValue())
					.isEqualTo("pong");
			}
		}
	}

	@Test
	void pingsGoOutBetweenRepliesWithoutDisturbingThemAndNoFrameFollowsTheServersClose() throws Exception {
		try (ConfigurableApplicationContext context = start("--server.port=0", "--pikku.heartbeat.interval=30ms",
				"--pikku.heartbeat.timeout=10s")) {
			try (Socket socket = RawHandshake.open(port(context), "/rooms/pinged", 0)) {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				assertThat(new String(RawHandshake.readMessage(in).payload(), StandardCharsets.UTF_8))
					.contains("\"welcome\":\"pinged\"");
				int pings = 0;
				for (int call = 0; call < 500 && pings < 3; call++) {
					out.write(RawHandshake.textFrame("{\"action\":\"echo\",\"text\":\"" + call + "\"}"));
					RawHandshake.Frame frame = RawHandshake.readFrame(in);
					while (frame != null && frame.opcode() == 0x9) {
						pings++;
						frame = RawHandshake.readFrame(in);
					}
					assertThat(frame).isNotNull();
					assertThat(frame.opcode()).isEqualTo(0x1);
					assertThat(new String(frame.payload(), StandardCharsets.UTF_8))
						.contains("\"text\":\"" + call + "\"");
					Thread.sleep(5);
				}
				assertThat(pings).isGreaterThanOrEqualTo(3);
				// a close the server starts: nothing follows its close frame
				out.write(RawHandshake.textFrame("{\"action\":\"bye\"}"));
				// readMessage passes over the pings
				RawHandshake.Frame frame = RawHandshake.readMessage(in);
				assertThat(frame).isNotNull();
				assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).contains("\"bye\":true");
				frame = RawHandshake.readMessage(in);
				assertThat(frame).isNotNull();
				assertThat(frame.isClose()).isTrue();
				assertThat(frame.closeCode()).isEqualTo(4000);
				Thread.sleep(100);
				try {
					out.write(new byte[] { (byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x0F, (byte) 0xA0 });
				}
				catch (IOException ex) {
					// Reactor Netty closes the TCP connection once its close frame is out
				}
				assertThat(frameAfterClose(in)).isNull();
			}
		}
	}

	private static RawHandshake.@Nullable Frame frameAfterClose(InputStream in) throws IOException {
		try {
			return RawHandshake.readFrame(in);
		}
		catch (SocketException ex) {
			return null; // reset: the server closed first
		}
	}

	@Test
	void upgradesPastTheMaximumNumberOfConnectionsAreRefusedWith503() throws Exception {
		try (ConfigurableApplicationContext context = start("--server.port=0", "--pikku.max-connections=2")) {
			int port = port(context);
			try (WebSocketTestClient first = WebSocketTestClient.connect("ws://localhost:" + port + "/rooms/a");
					WebSocketTestClient second = WebSocketTestClient.connect("ws://localhost:" + port + "/rooms/b")) {
				first.receive();
				second.receive();
				assertThat(io.pikku.test.RawHandshake.upgrade(port, "/rooms/c", java.util.Map.of()).status())
					.isEqualTo(503);
				assertThat(first.call("{\"action\":\"echo\",\"text\":\"fine\"}").path("text").stringValue())
					.isEqualTo("fine");
			}
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> runtime.connectionCount("rooms") == 0);
			try (WebSocketTestClient again = WebSocketTestClient.connect("ws://localhost:" + port + "/rooms/d")) {
				assertThat(again.receive().path("welcome").stringValue()).isEqualTo("d");
			}
		}
	}

	@Test
	void theTransportServesAgainAfterTheContextIsStoppedAndStarted() {
		try (ConfigurableApplicationContext context = start("--server.port=0")) {
			context.stop();
			context.start();
			try (WebSocketTestClient client = WebSocketTestClient
				.connect("ws://localhost:" + port(context) + "/rooms/restarted")) {
				assertThat(client.receive().path("welcome").stringValue()).isEqualTo("restarted");
			}
		}
	}

	@Test
	void heartbeatSettingsAreValidated() {
		org.assertj.core.api.Assertions.assertThatException()
			.isThrownBy(() -> start("--server.port=0", "--pikku.heartbeat.interval=2s", "--pikku.heartbeat.timeout=1s")
				.close())
			.havingRootCause()
			.withMessageContaining("pikku.heartbeat.timeout");
	}

	@Test
	void shutdownClosesEveryChannelWith1001AfterItsOnDisconnect() {
		ConfigurableApplicationContext context = start("--server.port=0");
		WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + port(context) + "/rooms/closing");
		try {
			client.receive();
			context.close();
			assertThat(client.awaitClose()).isEqualTo(new WebSocketTestClient.Closed(1001, "Server shutting down"));
			assertThat(TestChannels.disconnected).contains("closing");
		}
		finally {
			client.close();
			context.close();
		}
	}

}
