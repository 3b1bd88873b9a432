package io.pikku.autoconfigure.web.socket.servlet;

import java.time.Duration;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.web.socket.servlet.ServletChannelTransport;
import jakarta.websocket.server.ServerContainer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Auto-configuration that serves every channel on Spring WebSocket in a servlet web
 * application: one handler per route in one {@link HandlerMapping}.
 */
@AutoConfiguration(after = PikkuAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ WebSocketHandler.class, ServerContainer.class, HandlerMapping.class })
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@ConditionalOnBean(ChannelRuntime.class)
public final class PikkuServletWebSocketAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServletChannelTransport pikkuServletChannelTransport(ChannelRuntime runtime, PikkuProperties properties,
			ObjectProvider<HandshakeSessionResolver> sessionResolver) {
		Duration interval = properties.getHeartbeat().getInterval();
		Duration timeout = properties.getHeartbeat().getTimeout();
		if (interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationPropertyValueException("pikku.heartbeat.interval", interval,
					"It must be positive.");
		}
		if (timeout.compareTo(interval) <= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.heartbeat.timeout", timeout,
					"It must be longer than pikku.heartbeat.interval (" + interval + ").");
		}
		if (properties.getMaxConnections() <= 0) {
			throw new InvalidConfigurationPropertyValueException("pikku.max-connections",
					properties.getMaxConnections(), "It must be positive.");
		}
		if (properties.getShutdownTimeout().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("pikku.shutdown-timeout",
					properties.getShutdownTimeout(), "It must not be negative.");
		}
		ServletChannelTransport.Settings settings = new ServletChannelTransport.Settings(
				properties.getChannels().getAllowedOrigins(), properties.getSendTimeLimit(),
				properties.getSendBufferLimit().toBytes(), interval, timeout, properties.getShutdownTimeout(),
				properties.getMaxConnections());
		return new ServletChannelTransport(runtime, settings,
				sessionResolver.getIfAvailable(() -> HandshakeSessionResolver.PRINCIPAL_NAME));
	}

	@Bean
	@ConditionalOnMissingBean(name = "pikkuWebSocketHandlerMapping")
	HandlerMapping pikkuWebSocketHandlerMapping(ServletChannelTransport transport) {
		return transport.handlerMapping();
	}

}
