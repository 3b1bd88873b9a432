package io.pikku.autoconfigure.web.reactive;

import java.util.concurrent.Executor;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.autoconfigure.web.TransportSettingsFactory;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.web.reactive.AccessTokenMaskingHttpHandler;
import io.pikku.web.reactive.ReactiveChannelTransport;
import io.pikku.web.reactive.ReactorNettyUpgradeStrategy;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration that serves every channel on Spring WebFlux in a reactive web
 * application: one handler per route in one {@link HandlerMapping}, functions that may
 * block on Reactor's {@code boundedElastic} scheduler (or on virtual threads with
 * {@code spring.threads.virtual.enabled}).
 */
@AutoConfiguration(after = PikkuAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ WebSocketService.class, HandlerMapping.class, Mono.class })
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
@ConditionalOnBean(ChannelRuntime.class)
public final class PikkuReactiveWebSocketAutoConfiguration {

	/**
	 * The largest frame the server reads, as a multiple of the message size limits:
	 * frames up to it are answered {@code too_large} and the connection stays open;
	 * larger ones close it with 1009.
	 */
	static final int FRAME_LIMIT_FACTOR = 16;

	@Bean
	@ConditionalOnMissingBean
	ReactiveChannelTransport pikkuReactiveChannelTransport(ChannelRuntime runtime, PikkuProperties properties,
			ObjectProvider<HandshakeSessionResolver> sessionResolver, ObjectProvider<WebSocketService> webSocketService,
			Environment environment) {
		return new ReactiveChannelTransport(runtime, TransportSettingsFactory.from(properties),
				sessionResolver.getIfAvailable(() -> HandshakeSessionResolver.PRINCIPAL_NAME),
				webSocketService.getIfAvailable(HandshakeWebSocketService::new), blockingExecutor(environment));
	}

	private static Executor blockingExecutor(Environment environment) {
		if (Threading.VIRTUAL.isActive(environment)) {
			return new VirtualThreadTaskExecutor("pikku-");
		}
		return (task) -> Schedulers.boundedElastic().schedule(task);
	}

	@Bean
	@ConditionalOnMissingBean(name = "pikkuWebSocketHandlerMapping")
	HandlerMapping pikkuWebSocketHandlerMapping(ReactiveChannelTransport transport) {
		return transport.handlerMapping();
	}

	/**
	 * Keeps {@code access_token} out of WebFlux's request logging, while Spring Security
	 * still reads it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebHttpHandlerBuilderCustomizer.class)
	static class AccessTokenMaskingConfiguration {

		/** Spring Security's order of its web filter on WebFlux. */
		private static final int SECURITY_FILTER_ORDER = -100;

		@Bean
		@ConditionalOnMissingBean(name = "pikkuAccessTokenMaskingCustomizer")
		WebHttpHandlerBuilderCustomizer pikkuAccessTokenMaskingCustomizer() {
			return (builder) -> builder.httpHandlerDecorator(AccessTokenMaskingHttpHandler::new);
		}

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter pikkuAccessTokenRestoringFilter() {
			return AccessTokenMaskingHttpHandler.restoring();
		}

		@Bean
		@Order(SECURITY_FILTER_ORDER + 1)
		WebFilter pikkuAccessTokenMaskingFilter() {
			return AccessTokenMaskingHttpHandler.masking();
		}

	}

	/**
	 * On Reactor Netty, reads frames up to a multiple of the message size limits, so that
	 * a frame over the limit is answered {@code too_large} as on servlet.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebsocketServerSpec.class)
	static class ReactorNettyConfiguration {

		@Bean
		@ConditionalOnMissingBean(WebSocketService.class)
		WebSocketService pikkuWebSocketService(ChannelRuntime runtime) {
			long largest = Math.max(runtime.settings().maxTextMessageSize(), runtime.settings().maxBinaryMessageSize());
			int frameLimit = (int) Math.min(Integer.MAX_VALUE - 8, largest * FRAME_LIMIT_FACTOR);
			return new HandshakeWebSocketService(new ReactorNettyUpgradeStrategy(frameLimit,
					runtime.settings().maxTextMessageSize(), runtime.settings().maxBinaryMessageSize()));
		}

	}

}
