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
 * Auto-configuration that observes every Pikku call (outermost middleware) as
 * {@code pikku.call}, for a span per channel and action, when tracing is on: an
 * {@link ObservationRegistry} and a Micrometer Tracing {@code Tracer} exist. Without
 * tracing, calls are measured by Pikku's own cached meters only ({@code pikku.calls}), so
 * that no observation is made per message; {@code pikku.observation.enabled=false} turns
 * observation off with tracing too.
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass(name = { "io.micrometer.observation.ObservationRegistry", "io.micrometer.tracing.Tracer" })
@ConditionalOnBean(type = { "io.micrometer.observation.ObservationRegistry", "io.micrometer.tracing.Tracer" })
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "pikku.observation.enabled", matchIfMissing = true)
public final class PikkuObservationAutoConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean(name = "pikkuObservationMiddleware")
	TagMiddleware pikkuObservationMiddleware(ObservationRegistry registry) {
		return TagMiddleware.global(new ObservationMiddleware(registry));
	}

}
