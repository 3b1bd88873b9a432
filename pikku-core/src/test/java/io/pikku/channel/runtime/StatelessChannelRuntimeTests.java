package io.pikku.channel.runtime;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.RateLimit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for building a {@link StatelessChannelRuntime}: what it cannot honour refuses to
 * start. Its behaviour behind a gateway is tested in {@code pikku-gateway}.
 */
class StatelessChannelRuntimeTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final PikkuFunction<Void, String> PING = PikkuFunction.of(Void.class, (input, context) -> "pong");

	@Test
	void aRateLimitForEveryConnectionRefusesToStart() {
		ChannelSettings limited = new ChannelSettings("action", "correlationId", false, 1024, 1024,
				new RateLimit(10, 20));
		ChannelRuntime.Builder builder = ChannelRuntime
			.builder(List.of(ChannelDefinition.builder("game", "/game").action("ping", PING).build()), MAPPER)
			.settings(limited);
		assertThatIllegalStateException().isThrownBy(() -> builder.buildStateless(new NoGateway()))
			.withMessageContaining("throttle the API Gateway stage or route instead")
			.withMessageContaining("every connection");
	}

	@Test
	void aRateLimitOfOneActionRefusesToStartNamingIt() {
		ChannelDefinition<?> game = ChannelDefinition.builder("game", "/game")
			.action("ping", PING)
			.action("shout", PING, (options) -> options.rateLimit(1, 2))
			.build();
		assertThatIllegalStateException()
			.isThrownBy(() -> ChannelRuntime.builder(List.of(game), MAPPER).buildStateless(new NoGateway()))
			.withMessageContaining("channel 'game' limits action 'shout'");
	}

	@Test
	void withoutRateLimitsItStarts() {
		ChannelDefinition<?> game = ChannelDefinition.builder("game", "/game").action("ping", PING).build();
		assertThat(ChannelRuntime.builder(List.of(game), MAPPER).buildStateless(new NoGateway()).definition("game"))
			.isSameAs(game);
	}

	/** A gateway these tests never reach. */
	static final class NoGateway implements ConnectionGateway {

		@Override
		public CompletionStage<Void> post(String connectionId, String text) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException());
		}

		@Override
		public CompletionStage<Void> close(String connectionId) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException());
		}

		@Override
		public CompletionStage<Optional<Info>> info(String connectionId) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException());
		}

	}

}
