package io.pikku.autoconfigure.gateway;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ConnectionGateway;
import io.pikku.channel.runtime.SessionCodec;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.InMemoryEventHub;
import io.pikku.gateway.ApiGatewayConnectionGateway;
import io.pikku.gateway.GatewayClientCustomizer;
import io.pikku.gateway.GatewayEndpoints;
import io.pikku.gateway.redis.RedisGatewayEventHub;
import io.pikku.gateway.redis.RedisStatelessChannelStore;
import io.pikku.security.AuthenticationSessionCodec;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClientBuilder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration of channels behind AWS API Gateway WebSocket APIs
 * ({@code pikku.gateway.enabled=true}): the {@link StatelessChannelRuntime} instead of
 * the stateful one, the integration endpoints, the management-API client, and the store
 * and EventHub in memory or in Redis ({@code pikku.gateway.store}).
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class,
		beforeName = "io.pikku.autoconfigure.eventhub.redis.PikkuRedisAutoConfiguration",
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration" })
@ConditionalOnClass({ StatelessChannelRuntime.class, RouterFunction.class, JsonMapper.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "pikku.gateway.enabled")
@EnableConfigurationProperties({ PikkuGatewayProperties.class, PikkuProperties.class })
public final class PikkuGatewayAutoConfiguration {

	private static final Pattern API_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private static final Pattern EXECUTE_API = Pattern
		.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

	@Bean
	@ConditionalOnMissingBean
	ConnectionGateway pikkuConnectionGateway(PikkuGatewayProperties properties,
			ObjectProvider<GatewayClientCustomizer> customizers) {
		Map<String, ApiGatewayManagementApiAsyncClient> clients = new LinkedHashMap<>();
		properties.getApis().forEach((api, settings) -> {
			URI endpoint = settings.getEndpoint();
			if (endpoint == null) {
				throw new InvalidConfigurationPropertyValueException("pikku.gateway.apis." + api + ".endpoint", null,
						"Each API needs its management endpoint, "
								+ "e.g. https://{api-id}.execute-api.{region}.amazonaws.com/{stage}.");
			}
			ApiGatewayManagementApiAsyncClientBuilder builder = ApiGatewayManagementApiAsyncClient.builder()
				.endpointOverride(endpoint)
				.region(region(properties.getRegion(), endpoint))
				.credentialsProvider(DefaultCredentialsProvider.builder().build());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(api, builder));
			clients.put(api, builder.build());
		});
		return new ApiGatewayConnectionGateway(clients);
	}

	@Bean
	@ConditionalOnMissingBean
	StatelessChannelRuntime pikkuStatelessChannelRuntime(ObjectProvider<ChannelRuntime.Builder> builder,
			ConnectionGateway gateway, SessionCodec sessionCodec, PikkuGatewayProperties properties) {
		StatelessChannelRuntime runtime = builder.getObject().sessionCodec(sessionCodec).buildStateless(gateway);
		channels(properties, runtime);
		runtime.setMessageLimit(messageLimit(properties));
		runtime.setHeldSendWindow(properties.getHeldSendWindow());
		return runtime;
	}

	@Bean
	@ConditionalOnMissingBean
	GatewayEndpoints pikkuGatewayEndpoints(StatelessChannelRuntime runtime, PikkuGatewayProperties properties,
			ObjectProvider<HandshakeSessionResolver> sessions, ObjectProvider<JsonMapper> jsonMapper) {
		String secret = properties.getSecret();
		if (secret == null || secret.isBlank()) {
			throw new InvalidConfigurationPropertyValueException("pikku.gateway.secret", secret,
					"The gateway's integrations must send a shared secret: set one, at least 16 characters.");
		}
		if (secret.length() < 16) {
			throw new InvalidConfigurationPropertyValueException("pikku.gateway.secret", "(hidden)",
					"The shared secret must be at least 16 characters.");
		}
		GatewayEndpoints.Settings settings = new GatewayEndpoints.Settings(properties.getPath(), secret,
				properties.getSecretHeader(), properties.getConnectionIdHeader(), channels(properties, runtime),
				properties.getReplies() == PikkuGatewayProperties.Replies.ROUTE_RESPONSE, messageLimit(properties));
		return new GatewayEndpoints(runtime, settings,
				sessions.getIfAvailable(() -> HandshakeSessionResolver.PRINCIPAL_NAME),
				jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
	}

	@Bean
	@ConditionalOnMissingBean(name = "pikkuGatewayRouterFunction")
	RouterFunction<ServerResponse> pikkuGatewayRouterFunction(GatewayEndpoints endpoints) {
		return endpoints.routes();
	}

	/** The region configured, else the one in an execute-api endpoint, else us-east-1. */
	static Region region(@Nullable String configured, URI endpoint) {
		if (configured != null) {
			return Region.of(configured);
		}
		Matcher regional = EXECUTE_API.matcher((endpoint.getHost() != null) ? endpoint.getHost() : "");
		return regional.matches() ? Region.of(regional.group(1)) : Region.US_EAST_1;
	}

	private static int messageLimit(PikkuGatewayProperties properties) {
		long bytes = properties.getMaxMessageSize().toBytes();
		if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("pikku.gateway.max-message-size",
					properties.getMaxMessageSize(), "It must be positive.");
		}
		return (int) bytes;
	}

	private static Map<String, String> channels(PikkuGatewayProperties properties, StatelessChannelRuntime runtime) {
		if (properties.getApis().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("pikku.gateway.apis", "{}",
					"Map each WebSocket API to its channel: pikku.gateway.apis.<name>.channel.");
		}
		Map<String, String> channels = new LinkedHashMap<>();
		properties.getApis().forEach((api, settings) -> {
			if (!API_NAME.matcher(api).matches()) {
				throw new InvalidConfigurationPropertyValueException("pikku.gateway.apis", api,
						"An API name has letters, digits and '-' only.");
			}
			String channel = settings.getChannel();
			if (channel == null || runtime.definition(channel) == null) {
				throw new InvalidConfigurationPropertyValueException("pikku.gateway.apis." + api + ".channel", channel,
						"No channel of that name; the channels are "
								+ runtime.definitions().stream().map((definition) -> definition.name()).toList());
			}
			channels.put(api, channel);
		});
		return channels;
	}

	/** The store and EventHub of one instance, in memory (the default). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "pikku.gateway.store", havingValue = "memory", matchIfMissing = true)
	static class InMemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChannelStore.class)
		InMemoryChannelStore pikkuChannelStore() {
			return new InMemoryChannelStore();
		}

		@Bean
		@ConditionalOnMissingBean(EventHub.class)
		InMemoryEventHub pikkuEventHub(ObjectProvider<JsonMapper> jsonMapper, ChannelStore store,
				PikkuProperties properties) {
			InMemoryEventHub eventHub = new InMemoryEventHub(
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), store);
			eventHub.setSubscriptionLimit(properties.getEventhub().toSubscriptionLimit());
			return eventHub;
		}

	}

	/** The store and EventHub of every instance, in Redis. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveStringRedisTemplate.class)
	@ConditionalOnProperty(name = "pikku.gateway.store", havingValue = "redis")
	static class RedisStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChannelStore.class)
		RedisStatelessChannelStore pikkuChannelStore(ObjectProvider<ReactiveStringRedisTemplate> redis,
				ObjectProvider<JsonMapper> jsonMapper, PikkuGatewayProperties properties) {
			return new RedisStatelessChannelStore(template(redis),
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), properties.getRedis().getKeyPrefix(),
					properties.getRedis().getRecordTimeToLive());
		}

		@Bean
		@ConditionalOnMissingBean(EventHub.class)
		RedisGatewayEventHub pikkuEventHub(ObjectProvider<ReactiveStringRedisTemplate> redis,
				ObjectProvider<JsonMapper> jsonMapper, RedisStatelessChannelStore store,
				PikkuGatewayProperties properties, PikkuProperties pikku) {
			RedisGatewayEventHub eventHub = new RedisGatewayEventHub(template(redis),
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), store,
					properties.getRedis().getKeyPrefix(), properties.getRedis().getRecordTimeToLive());
			eventHub.setSubscriptionLimit(pikku.getEventhub().toSubscriptionLimit());
			return eventHub;
		}

		private static ReactiveStringRedisTemplate template(ObjectProvider<ReactiveStringRedisTemplate> redis) {
			ReactiveStringRedisTemplate template = redis.getIfAvailable();
			if (template == null) {
				throw new InvalidConfigurationPropertyValueException("pikku.gateway.store", "redis",
						"The Redis store needs Spring Data Redis configured (spring.data.redis.*).");
			}
			return template;
		}

	}

	/** Sessions kept as their Spring Security name, authorities and expiry. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.Authentication")
	static class SecuritySessionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionCodec pikkuSessionCodec(ObjectProvider<JsonMapper> jsonMapper) {
			return new AuthenticationSessionCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

	@Bean
	@ConditionalOnMissingBean
	SessionCodec pikkuPlainSessionCodec(ObjectProvider<JsonMapper> jsonMapper) {
		return SessionCodec.plain(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
	}

}
