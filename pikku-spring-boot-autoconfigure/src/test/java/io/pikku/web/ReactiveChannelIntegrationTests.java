package io.pikku.web;

import org.junit.jupiter.api.Test;

import io.pikku.test.WebSocketTestClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChannelIntegrationTests} on the reactive stack (WebFlux on Reactor Netty), and
 * where its functions run.
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveChannelIntegrationTests extends ChannelIntegrationTests {

	@Test
	void functionsDeclaredNonBlockingRunOnTheEventLoopAndOthersOnAWorker() {
		WebSocketTestClient client = room();
		assertThat(client.call("{\"action\":\"loopThread\"}").path("thread").stringValue()).contains("http-nio");
		assertThat(client.call("{\"action\":\"thread\"}").path("thread").stringValue()).startsWith("boundedElastic-");
	}

}
