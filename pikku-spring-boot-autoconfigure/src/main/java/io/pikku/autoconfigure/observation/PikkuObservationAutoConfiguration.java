package io.pikku.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.TagMiddleware;
import io.pikku.observation.ObservationMiddleware;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration that observes every Pikku call (outermost middleware) when an
 * {@link ObservationRegistry} exists.
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
public final class PikkuObservationAutoConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean(name = "pikkuObservationMiddleware")
	TagMiddleware pikkuObservationMiddleware(ObservationRegistry registry) {
		return TagMiddleware.global(new ObservationMiddleware(registry));
	}

}
