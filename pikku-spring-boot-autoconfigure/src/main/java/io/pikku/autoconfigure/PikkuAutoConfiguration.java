package io.pikku.autoconfigure;

import java.util.List;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ErrorTranslator;
import io.pikku.channel.TagMiddleware;
import io.pikku.channel.runtime.CallScope;
import io.pikku.channel.runtime.ChannelListener;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ChannelSettings;
import io.pikku.channel.runtime.ResultAdapter;
import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.InMemoryEventHub;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * Auto-configuration of the {@link ChannelRuntime}: every {@link ChannelDefinition} bean
 * is served, with the application's {@link JsonMapper} and Bean Validation, and an
 * in-memory {@link EventHub} and {@link ChannelStore} unless another module or the
 * application defines them.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration" })
@ConditionalOnClass({ ChannelRuntime.class, JsonMapper.class })
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PikkuProperties.class)
public final class PikkuAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PikkuAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	ChannelStore pikkuChannelStore(PikkuProperties properties) {
		requireNoRedis(properties);
		return new InMemoryChannelStore();
	}

	@Bean
	@ConditionalOnMissingBean
	EventHub pikkuEventHub(PikkuProperties properties, ObjectProvider<JsonMapper> jsonMapper,
			ChannelStore channelStore) {
		requireNoRedis(properties);
		InMemoryEventHub eventHub = new InMemoryEventHub(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
				channelStore);
		eventHub.setSubscriptionLimit(properties.getEventhub().toSubscriptionLimit());
		return eventHub;
	}

	private static AbstractEventHub runtimeSide(EventHub eventHub) {
		if (eventHub instanceof AbstractEventHub hub) {
			return hub;
		}
		throw new IllegalStateException("The EventHub bean " + eventHub.getClass().getName() + " must extend "
				+ AbstractEventHub.class.getName() + ": the channel runtime delivers through it");
	}

	private static void requireNoRedis(PikkuProperties properties) {
		if (properties.getEventhub().getType() == PikkuProperties.EventHubType.REDIS) {
			throw new InvalidConfigurationPropertyValueException("pikku.eventhub.type", "redis",
					"The Redis EventHub needs the pikku-eventhub-redis module and a RedisConnectionFactory "
							+ "(spring.data.redis.*).");
		}
	}

	/**
	 * A builder with everything the application declares (channels, settings, store,
	 * EventHub, middleware, scope, translators, listeners), from which the stateful
	 * runtime below, or another runtime such as the gateway's, is built.
	 */
	@Bean
	@Scope("prototype")
	@ConditionalOnMissingBean
	ChannelRuntime.Builder pikkuChannelRuntimeBuilder(ObjectProvider<ChannelDefinition<?>> definitions,
			PikkuProperties properties, ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<Validator> validator,
			ChannelStore channelStore, EventHub eventHub, ObjectProvider<TagMiddleware> tagMiddleware,
			ObjectProvider<CallScope> callScope, ObjectProvider<ErrorTranslator> errorTranslators,
			ObjectProvider<ChannelListener> listeners, ObjectProvider<ResultAdapter> resultAdapter) {
		List<ChannelDefinition<?>> channels = definitions.orderedStream().toList();
		Validator beanValidator = validator.getIfUnique();
		if (beanValidator == null) {
			logger.warn("No unique Bean Validation validator: Pikku channel inputs are not validated");
		}
		JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
		return ChannelRuntime.builder(channels, mapper)
			.settings(settings(properties))
			.validator(beanValidator)
			.channelStore(channelStore)
			.eventHub(runtimeSide(eventHub))
			.tagMiddleware(tagMiddleware.orderedStream().toList())
			.callScope(callScope.getIfAvailable(() -> CallScope.NONE))
			.resultAdapter(resultAdapter.getIfAvailable(() -> ResultAdapter.NONE))
			.errorTranslators(errorTranslators.orderedStream().toList())
			.listeners(listeners.orderedStream().toList());
	}

	/**
	 * The stateful runtime, unless the channels run behind a managed gateway
	 * ({@code pikku.gateway.enabled}), which holds the connections instead.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "pikku.gateway.enabled", havingValue = false, matchIfMissing = true)
	ChannelRuntime pikkuChannelRuntime(ObjectProvider<ChannelRuntime.Builder> builder) {
		return builder.getObject().build();
	}

	static ChannelSettings settings(PikkuProperties properties) {
		requireText("pikku.default-routing-property", properties.getDefaultRoutingProperty());
		requireText("pikku.correlation-field", properties.getCorrelationField());
		if (properties.getCorrelationField().equals(properties.getDefaultRoutingProperty())) {
			throw new InvalidConfigurationPropertyValueException("pikku.correlation-field",
					properties.getCorrelationField(), "It must differ from pikku.default-routing-property.");
		}
		int maxText = positiveSize("pikku.max-text-message-size", properties.getMaxTextMessageSize().toBytes());
		int maxBinary = positiveSize("pikku.max-binary-message-size", properties.getMaxBinaryMessageSize().toBytes());
		positiveSize("pikku.send-buffer-limit", properties.getSendBufferLimit().toBytes());
		if (properties.getSendTimeLimit().isNegative() || properties.getSendTimeLimit().isZero()) {
			throw new InvalidConfigurationPropertyValueException("pikku.send-time-limit", properties.getSendTimeLimit(),
					"It must be positive.");
		}
		return new ChannelSettings(properties.getDefaultRoutingProperty(), properties.getCorrelationField(),
				properties.isCloseOnError(), maxText, maxBinary, rateLimit(properties.getRateLimit()));
	}

	private static io.pikku.channel.@Nullable RateLimit rateLimit(PikkuProperties.RateLimit properties) {
		Long perSecond = properties.getMessagesPerSecond();
		if (perSecond == null) {
			if (properties.getBurst() != null) {
				throw new InvalidConfigurationPropertyValueException("pikku.rate-limit.burst", properties.getBurst(),
						"It needs pikku.rate-limit.messages-per-second.");
			}
			return null;
		}
		if (perSecond <= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.rate-limit.messages-per-second", perSecond,
					"It must be positive.");
		}
		long burst = (properties.getBurst() != null) ? properties.getBurst() : perSecond;
		if (burst <= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.rate-limit.burst", burst,
					"It must be positive.");
		}
		return new io.pikku.channel.RateLimit(perSecond, burst);
	}

	private static void requireText(String name, String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "It must not be blank.");
		}
	}

	private static int positiveSize(String name, long bytes) {
		if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(name, bytes + "B",
					"It must be more than 0 and less than 2GB.");
		}
		return (int) bytes;
	}

	/**
	 * Functions may return any reactive type Spring's {@link ReactiveAdapterRegistry}
	 * knows (Reactor's {@code Mono} and {@code Flux}, RxJava, Mutiny, Kotlin's
	 * {@code Deferred}): the runtime waits for a single value, and collects the values of
	 * a multi-value type into a list.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.core.publisher.Mono")
	static class ReactiveResultConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResultAdapter pikkuReactiveResultAdapter() {
			return new ReactiveResultAdapter(ReactiveAdapterRegistry.getSharedInstance());
		}

	}

}
