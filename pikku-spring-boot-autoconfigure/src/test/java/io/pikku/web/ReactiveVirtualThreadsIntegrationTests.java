package io.pikku.web;

import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled}, functions that may block run on virtual
 * threads on the reactive stack (Java 21 and later; run the suite on such a JDK to check
 * it), and the event loop still runs the non-blocking ones.
 */
@SpringBootTest(classes = TestChannels.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "spring.threads.virtual.enabled=true" })
@EnabledForJreRange(min = JRE.JAVA_21)
class ReactiveVirtualThreadsIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void blockingFunctionsRunOnVirtualThreads() {
		try (WebSocketTestClient client = WebSocketTestClient.connect("ws://localhost:" + this.port + "/rooms/v")) {
			client.receive();
			assertThat(client.call("{\"action\":\"thread\"}").path("thread").stringValue()).startsWith("pikku-");
			assertThat(client.call("{\"action\":\"loopThread\"}").path("thread").stringValue()).contains("http-nio");
			// and they may block without holding up the connection's order
			client.send("{\"action\":\"sleepy\",\"text\":\"first\"}");
			client.send("{\"action\":\"echo\",\"text\":\"second\"}");
			assertThat(client.receive().path("text").stringValue()).isEqualTo("first");
			assertThat(client.receive().path("text").stringValue()).isEqualTo("second");
		}
	}

}
