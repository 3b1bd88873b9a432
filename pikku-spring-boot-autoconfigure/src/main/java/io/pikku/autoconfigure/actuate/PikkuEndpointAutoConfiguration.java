package io.pikku.autoconfigure.actuate;

import io.pikku.actuate.PikkuEndpoint;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.runtime.ChannelRuntime;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code pikku} actuator endpoint (expose it with
 * {@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = PikkuAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ChannelRuntime.class)
@ConditionalOnAvailableEndpoint(PikkuEndpoint.class)
public final class PikkuEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PikkuEndpoint pikkuEndpoint(ChannelRuntime runtime) {
		return new PikkuEndpoint(runtime);
	}

}
