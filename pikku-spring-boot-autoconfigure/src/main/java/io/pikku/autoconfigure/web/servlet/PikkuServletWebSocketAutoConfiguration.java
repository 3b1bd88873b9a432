package io.pikku.autoconfigure.web.servlet;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.autoconfigure.web.TransportSettingsFactory;
import io.pikku.web.TransportSettings;
import io.pikku.web.servlet.AccessTokenMaskingFilter;
import io.pikku.web.servlet.AccessTokenMaskingValve;
import io.pikku.web.servlet.ServletChannelTransport;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.Valve;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
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

	/** Spring Boot's default order of the Spring Security filter chain. */
	private static final int DEFAULT_SECURITY_FILTER_ORDER = -100;

	/** Tomcat's and Jetty's default maximum of request threads. */
	private static final int DEFAULT_REQUEST_THREADS = 200;

	@Bean
	@ConditionalOnMissingBean
	ServletChannelTransport pikkuServletChannelTransport(ChannelRuntime runtime, PikkuProperties properties,
			ObjectProvider<HandshakeSessionResolver> sessionResolver, Environment environment) {
		TransportSettings settings = TransportSettingsFactory.from(properties);
		return new ServletChannelTransport(runtime, settings,
				sessionResolver.getIfAvailable(() -> HandshakeSessionResolver.PRINCIPAL_NAME),
				inPlaceWriters(environment));
	}

	/**
	 * A quarter of the container's request threads ({@code server.tomcat.threads.max} or
	 * {@code server.jetty.threads.max}, 200 by default) may write replies in place.
	 */
	static int inPlaceWriters(Environment environment) {
		Integer threads = environment.getProperty("server.tomcat.threads.max", Integer.class,
				environment.getProperty("server.jetty.threads.max", Integer.class, DEFAULT_REQUEST_THREADS));
		return Math.max(1, threads / 4);
	}

	@Bean
	@ConditionalOnMissingBean(name = "pikkuWebSocketHandlerMapping")
	HandlerMapping pikkuWebSocketHandlerMapping(ServletChannelTransport transport) {
		return transport.handlerMapping();
	}

	/**
	 * Masks {@code access_token} in the URL seen after Spring Security's filter chain
	 * (which reads it first), so no Spring or application log shows the credential.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "pikkuAccessTokenMaskingFilter")
	FilterRegistrationBean<AccessTokenMaskingFilter> pikkuAccessTokenMaskingFilter(Environment environment) {
		int securityOrder = environment.getProperty("spring.security.filter.order", Integer.class,
				DEFAULT_SECURITY_FILTER_ORDER);
		FilterRegistrationBean<AccessTokenMaskingFilter> registration = new FilterRegistrationBean<>(
				new AccessTokenMaskingFilter());
		registration.setOrder(securityOrder + 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	/** Masks {@code access_token} in Tomcat's access log. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConfigurableTomcatWebServerFactory.class, Valve.class })
	static class TomcatAccessLogMaskingConfiguration {

		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> pikkuAccessTokenMaskingCustomizer() {
			return (factory) -> factory.addEngineValves(new AccessTokenMaskingValve());
		}

	}

}
