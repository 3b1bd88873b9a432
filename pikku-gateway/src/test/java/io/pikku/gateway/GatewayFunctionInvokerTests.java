package io.pikku.gateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pikku.gateway.app.GatewayTestApplication;
import io.pikku.gateway.emulator.GatewayEmulator;
import io.pikku.test.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Lambda handler as it is deployed: Spring Cloud Function's {@link FunctionInvoker}
 * starts the application (not as a web application, with no shared secret) and is handed
 * each event as Lambda hands it, a JSON stream, here by the emulator's Lambda proxy
 * integration behind a real socket.
 */
class GatewayFunctionInvokerTests {

	private static final String API_ID = "inv0k3r1d";

	@Test
	void theFunctionInvokerAnswersTheEventsOfASocket() {
		GatewayEmulator emulator = GatewayEmulator.start(Map.of(), "unused-by-lambda-integrations");
		Map<String, String> properties = Map.of("MAIN_CLASS", GatewayTestApplication.class.getName(),
				"spring.main.sources", Started.class.getName(), "spring.cloud.function.definition",
				"pikkuGatewayLambda", "pikku.gateway.enabled", "true", "pikku.gateway.apis.room.channel", "room",
				"pikku.gateway.apis.room.endpoint", emulator.managementEndpoint("room").toString(),
				"pikku.gateway.apis.room.api-id", API_ID);
		properties.forEach(System::setProperty);
		try {
			FunctionInvoker invoker = new FunctionInvoker();
			assertThat(Started.context.getBeanNamesForType(GatewayEndpoints.class)).isEmpty();
			emulator.lambda("room", API_ID, (event) -> {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				try {
					invoker.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				return out.toString(StandardCharsets.UTF_8);
			});
			List<String> before = emulator.openConnections();
			WebSocketTestClient socket = WebSocketTestClient.connect(emulator.webSocketUri("room") + "?name=ann");
			try {
				assertThat(socket.receive().path("welcome").asString()).isEqualTo("ann");
				List<String> opened = new ArrayList<>(emulator.openConnections());
				opened.removeAll(before);
				assertThat(opened).hasSize(1);
				assertThat(socket.call("{\"action\":\"echo\",\"text\":\"hi\",\"correlationId\":7}").toString())
					.isEqualTo("{\"action\":\"echo\",\"correlationId\":7,\"text\":\"hi\"}");
				socket.sendBinary(new byte[] { 1, 2, 3 });
				assertThat(socket.receive().path("error").path("code").asString()).isEqualTo("unsupported_frame");
				socket.close();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> emulator.log().contains("$disconnect " + opened.get(0) + " 200"));
			}
			finally {
				socket.close();
			}
		}
		finally {
			properties.keySet().forEach(System::clearProperty);
			if (Started.context != null) {
				Started.context.close();
			}
			emulator.close();
		}
	}

	/** Added to the application the invoker starts, to reach and close it. */
	@Configuration(proxyBeanMethods = false)
	static class Started implements ApplicationContextAware {

		static volatile ConfigurableApplicationContext context;

		@Override
		public void setApplicationContext(ApplicationContext applicationContext) {
			context = (ConfigurableApplicationContext) applicationContext;
		}

		@Bean
		GatewayClientCustomizer staticCredentials() {
			return (api, builder) -> builder
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
		}

	}

}
