package io.pikku.eventhub.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.tracing.Tracing;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

/**
 * The Lettuce client of the relay: a copy of the application's (the same servers, TLS,
 * credentials, client options and event loops) whose commands are not observed one by
 * one. With an {@code ObservationRegistry} around, Spring Boot has Lettuce observe every
 * command (and with metrics, record its latency); at thousands of relays a second that
 * costs more than relaying them (a timer, a long task timer and their tags per
 * {@code PUBLISH}). The relay has meters of its own ({@code pikku.eventhub.relay.*}); the
 * application's own commands, and the hub's presence and membership commands, stay
 * observed.
 *
 * <p>
 * The copy is made from the factory's Cluster, Sentinel, socket or standalone
 * configuration. Where the factory's accessors cannot tell its servers (a standalone
 * configuration given to the {@code RedisConfiguration} constructor), the relay shares
 * the application's client, observed. A static master/replica set-up is not supported:
 * the relay publishes and subscribes on one server.
 */
final class RelayClient implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RelayClient.class);

	private final AbstractRedisClient client;

	private final @Nullable LettuceConnectionFactory factory;

	private final @Nullable ClientResources resources;

	private RelayClient(AbstractRedisClient client, @Nullable LettuceConnectionFactory factory,
			@Nullable ClientResources resources) {
		this.client = client;
		this.factory = factory;
		this.resources = resources;
	}

	/**
	 * A client for the servers of the application's connection factory; the application's
	 * own client if its servers cannot be told from the factory (see the class Javadoc).
	 * @param application the application's factory, started
	 * @return the relay's client, to be closed before the application's factory
	 */
	static RelayClient of(LettuceConnectionFactory application) {
		RedisConfiguration servers = serversOf(application);
		if (servers == null) {
			logger.debug(
					"The relay shares the application's Redis client: its servers cannot be told from " + application);
			return new RelayClient(application.getRequiredNativeClient(), null, null);
		}
		ClientResources shared = application.getRequiredNativeClient().getResources();
		// Everything passed in is shared: shutting these resources down stops nothing of
		// the application's.
		ClientResources resources = DefaultClientResources.builder()
			.eventLoopGroupProvider(shared.eventLoopGroupProvider())
			.eventExecutorGroup(shared.eventExecutorGroup())
			.timer(shared.timer())
			.eventBus(shared.eventBus())
			.reconnectDelay(shared::reconnectDelay)
			.socketAddressResolver(shared.socketAddressResolver())
			.nettyCustomizer(shared.nettyCustomizer())
			.addressResolverGroup(shared.addressResolverGroup())
			.commandLatencyRecorder(CommandLatencyRecorder.disabled())
			.tracing(Tracing.disabled())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(servers,
				new UntracedConfiguration(application.getClientConfiguration(), resources));
		try {
			factory.afterPropertiesSet();
			factory.start();
		}
		catch (RuntimeException ex) {
			resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
			throw ex;
		}
		return new RelayClient(factory.getRequiredNativeClient(), factory, resources);
	}

	/**
	 * The servers of a factory, or {@code null} if its public accessors cannot tell them:
	 * a factory made with the {@code RedisConfiguration} constructor answers
	 * {@code getStandaloneConfiguration()} with the default, not its own.
	 */
	private static @Nullable RedisConfiguration serversOf(LettuceConnectionFactory application) {
		if (application.isClusterAware()) {
			return application.getClusterConfiguration();
		}
		if (application.isRedisSentinelAware()) {
			return application.getSentinelConfiguration();
		}
		RedisConfiguration socket = application.getSocketConfiguration();
		if (socket != null) {
			return socket;
		}
		RedisStandaloneConfiguration standalone = application.getStandaloneConfiguration();
		boolean same = standalone.getHostName().equals(application.getHostName())
				&& standalone.getPort() == application.getPort()
				&& standalone.getDatabase() == application.getDatabase()
				&& Objects.equals(passwordOf(standalone), application.getPassword());
		return same ? standalone : null;
	}

	private static @Nullable String passwordOf(RedisStandaloneConfiguration standalone) {
		return standalone.getPassword().map(String::new).orElse(null);
	}

	/**
	 * The client, a {@code RedisClient} or a {@code RedisClusterClient}.
	 * @return the client
	 */
	AbstractRedisClient client() {
		return this.client;
	}

	/**
	 * Shuts the client down. The event loops and timer it shares with the application's
	 * client stay up.
	 */
	@Override
	public void close() {
		if (this.factory != null && this.resources != null) {
			this.factory.destroy();
			this.resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
		}
	}

	/** The application's client configuration with other client resources. */
	private record UntracedConfiguration(LettuceClientConfiguration application,
			ClientResources resources) implements LettuceClientConfiguration {

		@Override
		public boolean isUseSsl() {
			return this.application.isUseSsl();
		}

		@Override
		public boolean isVerifyPeer() {
			return this.application.isVerifyPeer();
		}

		@Override
		public SslVerifyMode getVerifyMode() {
			return this.application.getVerifyMode();
		}

		@Override
		public boolean isStartTls() {
			return this.application.isStartTls();
		}

		@Override
		public Optional<ClientResources> getClientResources() {
			return Optional.of(this.resources);
		}

		@Override
		public Optional<ClientOptions> getClientOptions() {
			return this.application.getClientOptions();
		}

		@Override
		public Optional<String> getClientName() {
			return this.application.getClientName();
		}

		@Override
		public Optional<ReadFrom> getReadFrom() {
			return this.application.getReadFrom();
		}

		@Override
		public Optional<RedisCredentialsProviderFactory> getRedisCredentialsProviderFactory() {
			return this.application.getRedisCredentialsProviderFactory();
		}

		@Override
		public Duration getCommandTimeout() {
			return this.application.getCommandTimeout();
		}

		@Override
		public Duration getShutdownTimeout() {
			return this.application.getShutdownTimeout();
		}

		@Override
		public Duration getShutdownQuietPeriod() {
			return this.application.getShutdownQuietPeriod();
		}

	}

}
