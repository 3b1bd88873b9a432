package io.pikku.channel.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.RateLimit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for a {@link StatelessChannelRuntime} on its own: what it cannot honour refuses
 * to start, and what it restores per event. Its behaviour behind a gateway is tested in
 * {@code pikku-gateway}.
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

	@Test
	void aSessionItsCodecCannotWriteStillExpires() throws Exception {
		SessionCodec writesNothing = new SessionCodec() {

			@Override
			public @Nullable JsonNode encode(PikkuSession session) {
				return null;
			}

			@Override
			public @Nullable PikkuSession decode(JsonNode stored) {
				return null;
			}

		};
		PikkuFunction<Void, String> whoami = PikkuFunction.of(Void.class,
				(input, context) -> context.session().userId());
		ChannelDefinition<?> game = ChannelDefinition.builder("game", "/game")
			.action("whoami", whoami, (options) -> options.auth(true))
			.build();
		StatelessChannelRuntime runtime = ChannelRuntime.builder(List.of(game), MAPPER)
			.sessionCodec(writesNothing)
			.buildStateless(new NoGateway());
		Instant expiry = Instant.now().plusMillis(400);
		PikkuSession expiring = new PikkuSession() {

			@Override
			public String userId() {
				return "alice";
			}

			@Override
			public Instant expiresAt() {
				return expiry;
			}

		};
		assertThat(join(runtime.connect("c-1", "game", runtime.bindOpeningData("game", Map.of()), expiring))).isEmpty();
		String call = "{\"action\":\"whoami\"}";
		assertThat(join(runtime.message("c-1", call, true)))
			.hasValueSatisfying((reply) -> assertThat(reply).contains("alice").doesNotContain("unauthorized"));
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expiry));
		assertThat(join(runtime.message("c-1", call, true)))
			.hasValueSatisfying((reply) -> assertThat(reply).contains("\"code\":\"unauthorized\""));
	}

	@Test
	void aConnectionAPostFindsGoneIsForgottenUnlessTheGatewayStillHasIt() throws Exception {
		ChannelDefinition<?> game = ChannelDefinition.builder("game", "/game").action("ping", PING).build();
		for (boolean stillThere : new boolean[] { true, false }) {
			GoneGateway gateway = new GoneGateway(stillThere);
			StatelessChannelRuntime runtime = ChannelRuntime.builder(List.of(game), MAPPER).buildStateless(gateway);
			assertThat(join(runtime.connect("c-1", "game", runtime.bindOpeningData("game", Map.of()), null))).isEmpty();
			join(runtime.eventHub().subscribe("news", "c-1"));
			join(runtime.eventHub().publish("news", null, Map.of("n", 1)));
			await().atMost(Duration.ofSeconds(10)).until(() -> gateway.asked.get() > 0);
			join(runtime.settled());
			assertThat(join(runtime.channelStore().get("c-1")).isPresent()).as("still there: %s", stillThere)
				.isEqualTo(stillThere);
		}
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().join();
	}

	/**
	 * A gateway that refuses every post as gone, and says whether it has the connection.
	 */
	static final class GoneGateway implements ConnectionGateway {

		private final boolean stillThere;

		final AtomicInteger asked = new AtomicInteger();

		GoneGateway(boolean stillThere) {
			this.stillThere = stillThere;
		}

		@Override
		public CompletionStage<Void> post(String connectionId, String text) {
			return CompletableFuture.failedFuture(new GoneException(connectionId));
		}

		@Override
		public CompletionStage<Void> close(String connectionId) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletionStage<Optional<Info>> info(String connectionId) {
			this.asked.incrementAndGet();
			return CompletableFuture.completedFuture(
					this.stillThere ? Optional.of(new Info(Instant.now(), Instant.now(), null)) : Optional.empty());
		}

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
