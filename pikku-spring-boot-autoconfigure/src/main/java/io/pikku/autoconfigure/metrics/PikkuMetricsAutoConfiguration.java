package io.pikku.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.ChannelDefinition;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.EventHubStatistics;
import io.pikku.metrics.PikkuMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link PikkuMetrics} when Micrometer has a registry.
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
public final class PikkuMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PikkuMetrics pikkuMetrics(MeterRegistry registry, ObjectProvider<ChannelDefinition<?>> definitions,
			ObjectProvider<EventHub> eventHub) {
		PikkuMetrics metrics = new PikkuMetrics(registry, definitions.orderedStream().toList());
		if (eventHub.getIfUnique() instanceof EventHubStatistics statistics) {
			metrics.bind(statistics);
		}
		return metrics;
	}

}
