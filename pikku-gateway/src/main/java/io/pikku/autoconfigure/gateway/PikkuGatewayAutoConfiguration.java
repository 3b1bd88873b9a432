package io.pikku.autoconfigure.gateway;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
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
import io.pikku.gateway.GatewayEvents;
import io.pikku.gateway.GatewayLambdaFunction;
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
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration of channels behind AWS API Gateway WebSocket APIs
 * ({@code pikku.gateway.enabled=true}): the {@link StatelessChannelRuntime} instead of
 * the stateful one, the management-API client, the store and EventHub in memory or in
 * Redis ({@code pikku.gateway.store}), and the entry points: the HTTP integration's
 * endpoints in a servlet web application, and a Lambda function
 * ({@link GatewayLambdaFunction}) when the Lambda event types are on the classpath.
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class,
		beforeName = "io.pikku.autoconfigure.eventhub.redis.PikkuRedisAutoConfiguration",
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration" })
@ConditionalOnClass({ StatelessChannelRuntime.class, JsonMapper.class })
@Conditional(PikkuGatewayAutoConfiguration.OnEntryPoint.class)
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "pikku.gateway.enabled")
@EnableConfigurationProperties({ PikkuGatewayProperties.class, PikkuProperties.class })
public final class PikkuGatewayAutoConfiguration {

	private static final Pattern API_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");

	/** An execute-api host: the API's id, then its region. */
	private static final Pattern EXECUTE_API = Pattern
		.compile("([^.]+)\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

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

	/** The region configured, else the one in an execute-api endpoint, else us-east-1. */
	static Region region(@Nullable String configured, URI endpoint) {
		if (configured != null) {
			return Region.of(configured);
		}
		Matcher regional = EXECUTE_API.matcher((endpoint.getHost() != null) ? endpoint.getHost() : "");
		return regional.matches() ? Region.of(regional.group(2)) : Region.US_EAST_1;
	}

	/**
	 * The id of each API that has one, by id: configured, else an execute-api endpoint's.
	 */
	static Map<String, String> apiIds(PikkuGatewayProperties properties) {
		Map<String, String> apis = new LinkedHashMap<>();
		properties.getApis().forEach((api, settings) -> {
			String id = apiId(settings);
			if (id == null) {
				return;
			}
			String other = apis.putIfAbsent(id, api);
			if (other != null) {
				throw new InvalidConfigurationPropertyValueException("pikku.gateway.apis." + api + ".api-id", id,
						"API '" + other + "' has the same id; each API has its own.");
			}
		});
		return apis;
	}

	private static @Nullable String apiId(PikkuGatewayProperties.Api settings) {
		String configured = settings.getApiId();
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		URI endpoint = settings.getEndpoint();
		Matcher regional = EXECUTE_API
			.matcher((endpoint != null && endpoint.getHost() != null) ? endpoint.getHost() : "");
		return regional.matches() ? regional.group(1) : null;
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

	private static JsonMapper jsonMapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

	/** The HTTP integration's endpoints, in a servlet web application. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RouterFunction.class)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class HttpIntegrationConfiguration {

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
					routeResponse(properties), messageLimit(properties));
			return new GatewayEndpoints(runtime, settings,
					sessions.getIfAvailable(() -> HandshakeSessionResolver.PRINCIPAL_NAME), jsonMapper(jsonMapper));
		}

		@Bean
		@ConditionalOnMissingBean(name = "pikkuGatewayRouterFunction")
		RouterFunction<ServerResponse> pikkuGatewayRouterFunction(GatewayEndpoints endpoints) {
			return endpoints.routes();
		}

	}

	/**
	 * The Lambda entry point, when the Lambda event types are on the classpath, for
	 * Spring Cloud Function's {@code FunctionInvoker}; in any kind of application (the
	 * invoker starts one that is not a web application).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent")
	static class LambdaConfiguration {

		@Bean
		@Conditional(OnNoWebSocketLambdaFunction.class)
		GatewayLambdaFunction pikkuGatewayLambda(StatelessChannelRuntime runtime, PikkuGatewayProperties properties,
				ObjectProvider<JsonMapper> jsonMapper) {
			GatewayEvents events = new GatewayEvents(runtime, channels(properties, runtime), routeResponse(properties),
					messageLimit(properties), jsonMapper(jsonMapper));
			return new GatewayLambdaFunction(events, apiIds(properties));
		}

	}

	/**
	 * Matches when an entry point can run: the HTTP integration in a servlet web
	 * application, or the Lambda function.
	 */
	static final class OnEntryPoint extends AnyNestedCondition {

		OnEntryPoint() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
		@ConditionalOnWebApplication(type = Type.SERVLET)
		static class HttpIntegration {

		}

		@ConditionalOnClass(name = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent")
		static class Lambda {

		}

	}

	/**
	 * Matches when no bean is a
	 * {@code Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>}: the
	 * application's own handler wins.
	 */
	static class OnNoWebSocketLambdaFunction extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			return ConfigurationPhase.REGISTER_BEAN;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage
				.forCondition("Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>");
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			if (beanFactory == null) {
				return ConditionOutcome.match(message.because("no bean factory"));
			}
			ResolvableType type = ResolvableType.forClassWithGenerics(Function.class, APIGatewayV2WebSocketEvent.class,
					APIGatewayV2WebSocketResponse.class);
			String[] names = beanFactory.getBeanNamesForType(type, true, false);
			return (names.length == 0) ? ConditionOutcome.match(message.didNotFind("bean").atAll())
					: ConditionOutcome.noMatch(message.found("bean", "beans").items((Object[]) names));
		}

	}

	private static boolean routeResponse(PikkuGatewayProperties properties) {
		return properties.getReplies() == PikkuGatewayProperties.Replies.ROUTE_RESPONSE;
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
