package io.pikku.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the client does when its server goes away for good, and what a declarative client
 * refuses, against a server that accepts the upgrade and then says nothing.
 */
class LostServerTests {

	@Test
	void reconnectingGivesUpAfterTheLastAttemptAndFailsCallsMeanwhile() throws Exception {
		PikkuConnection connection;
		try (StalledServer server = new StalledServer()) {
			connection = PikkuClient.builder("ws://localhost:" + server.port())
				.reconnect(ReconnectPolicy.backoff(Duration.ofMillis(200), Duration.ofMillis(200)).withMaxAttempts(2))
				.build()
				.connect("/gone")
				.get();
		}
		assertThat(connection.closed()).succeedsWithin(Duration.ofSeconds(10))
			.satisfies((status) -> assertThat(status.reason()).isEqualTo("gave up reconnecting after 2 attempts"));
		assertThat(connection.state()).isEqualTo(PikkuConnection.State.CLOSED);
		assertThat(connection.call("echo", null)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PikkuConnectionClosedException.class)
			.withMessageContaining("is closed");
	}

	@Test
	void aDeclarativeClientIsMadeOfAnInterfaceWithTypedActionMethods() throws Exception {
		try (StalledServer server = new StalledServer()) {
			PikkuConnection connection = PikkuClient.builder("ws://localhost:" + server.port())
				.build()
				.connect("/proxies")
				.get();
			PikkuClientProxyFactory factory = PikkuClientProxyFactory.of(connection);
			assertThatIllegalArgumentException().isThrownBy(() -> factory.createClient(String.class))
				.withMessage("java.lang.String is not an interface");
			assertThatIllegalArgumentException().isThrownBy(() -> factory.createClient(RawFuture.class))
				.withMessage("RawFuture.echo: say what the future holds, e.g. CompletableFuture<Reply>");
			assertThatIllegalArgumentException().isThrownBy(() -> factory.createClient(Blank.class))
				.withMessage("Blank.echo: blank action name");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> PikkuClientProxyFactory.of(new NotFromAClient(connection)))
				.withMessage("The connection must be opened by a PikkuClient");
			connection.close();
		}
	}

	@SuppressWarnings("rawtypes")
	interface RawFuture {

		CompletableFuture echo(JsonNode input);

	}

	interface Blank {

		@PikkuAction(" ")
		CompletableFuture<JsonNode> echo(JsonNode input);

	}

	/**
	 * A connection of someone else's making.
	 */
	private record NotFromAClient(PikkuConnection delegate) implements PikkuConnection {

		@Override
		public java.net.URI uri() {
			return this.delegate.uri();
		}

		@Override
		public State state() {
			return this.delegate.state();
		}

		@Override
		public <T> CompletableFuture<T> call(String action, Object input, Class<T> replyType) {
			return this.delegate.call(action, input, replyType);
		}

		@Override
		public <T> CompletableFuture<T> call(String action, Object input,
				tools.jackson.core.type.TypeReference<T> replyType) {
			return this.delegate.call(action, input, replyType);
		}

		@Override
		public CompletableFuture<JsonNode> call(String action, Object input) {
			return this.delegate.call(action, input);
		}

		@Override
		public <T> Registration onTopic(String topic, Class<T> type, java.util.function.Consumer<? super T> handler) {
			return this.delegate.onTopic(topic, type, handler);
		}

		@Override
		public Registration onMessage(java.util.function.Consumer<JsonNode> handler) {
			return this.delegate.onMessage(handler);
		}

		@Override
		public Registration onReconnect(
				java.util.function.Function<PikkuConnection, ? extends java.util.concurrent.CompletionStage<?>> hook) {
			return this.delegate.onReconnect(hook);
		}

		@Override
		public CompletableFuture<Void> send(String text) {
			return this.delegate.send(text);
		}

		@Override
		public CompletableFuture<Void> closeAsync() {
			return this.delegate.closeAsync();
		}

		@Override
		public CompletableFuture<CloseStatus> closed() {
			return this.delegate.closed();
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

}
