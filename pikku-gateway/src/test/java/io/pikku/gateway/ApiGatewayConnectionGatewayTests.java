package io.pikku.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import io.pikku.channel.runtime.ConnectionGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ApiGatewayConnectionGateway} without a management API: a connection of
 * an API that has no endpoint configured fails the returned stage, never the caller.
 */
class ApiGatewayConnectionGatewayTests {

	private final ApiGatewayConnectionGateway gateway = new ApiGatewayConnectionGateway(Map.of());

	@ParameterizedTest
	@ValueSource(strings = { "post", "close", "info" })
	void aConnectionOfAnUnconfiguredApiFailsTheStage(String call) {
		Map<String, Function<ConnectionGateway, CompletionStage<?>>> calls = Map.of("post",
				(gateway) -> gateway.post("renamed:abc=", "{}"), "close", (gateway) -> gateway.close("renamed:abc="),
				"info", (gateway) -> gateway.info("renamed:abc="));
		CompletionStage<?> stage = calls.get(call).apply(this.gateway);
		assertThat(stage.toCompletableFuture()).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("pikku.gateway.apis.renamed.endpoint");
	}

}
