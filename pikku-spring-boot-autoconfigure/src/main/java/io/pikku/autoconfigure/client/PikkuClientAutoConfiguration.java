package io.pikku.autoconfigure.client;

import io.pikku.client.PikkuClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

/**
 * Auto-configuration of a {@link PikkuClient.Builder} that writes and reads with the
 * application's {@link JsonMapper}: a new builder for each injection point (as Boot's
 * {@code RestClient.Builder}), customized by every {@link PikkuClientBuilderCustomizer}.
 *
 * <pre class="code">
 * PikkuClient chat = builder.baseUri("ws://chat-service:8080").bearerToken(token).build();
 * </pre>
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ PikkuClient.class, JsonMapper.class })
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
public final class PikkuClientAutoConfiguration {

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean
	PikkuClient.Builder pikkuClientBuilder(ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<PikkuClientBuilderCustomizer> customizers) {
		PikkuClient.Builder builder = PikkuClient.builder();
		jsonMapper.ifAvailable(builder::jsonMapper);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

}
