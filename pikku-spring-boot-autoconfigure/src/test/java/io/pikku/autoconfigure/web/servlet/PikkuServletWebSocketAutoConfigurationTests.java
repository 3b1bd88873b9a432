package io.pikku.autoconfigure.web.servlet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ChannelSettings;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.web.TransportSettings;
import io.pikku.web.servlet.ServletChannelTransport;
import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuServletWebSocketAutoConfiguration}.
 */
class PikkuServletWebSocketAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(JacksonAutoConfiguration.class,
			PikkuAutoConfiguration.class, PikkuServletWebSocketAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS);

	@Test
	void transportAndHandlerMappingServeEveryChannelRoute() {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ServletChannelTransport.class);
			assertThat(context).hasBean("pikkuWebSocketHandlerMapping");
			HandlerMapping mapping = context.getBean("pikkuWebSocketHandlerMapping", HandlerMapping.class);
			assertThat(mapping).isInstanceOf(WebSocketHandlerMapping.class);
			WebSocketHandlerMapping webSocketMapping = (WebSocketHandlerMapping) mapping;
			assertThat(webSocketMapping.getUrlMap()).containsOnlyKeys("/rooms/{room}", "/news");
			assertThat(webSocketMapping.getUrlMap().values())
				.allSatisfy((handler) -> assertThat(handler).isInstanceOf(WebSocketHttpRequestHandler.class));
			assertThat(webSocketMapping.getHandlerMap()).containsOnlyKeys("/rooms/{room}", "/news");
			assertThat(webSocketMapping.getOrder()).isEqualTo(1);
		});
	}

	@Test
	void sameOriginOnlyByDefault() {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class)
			.run((context) -> assertThat(originInterceptor(context, "/news").getAllowedOriginPatterns()).isEmpty());
	}

	@Test
	void allowedOriginsAreBoundAndApplied() {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class)
			.withPropertyValues("pikku.channels.allowed-origins=https://*.example.com,https://example.org")
			.run((context) -> {
				assertThat(context.getBean(PikkuProperties.class).getChannels().getAllowedOrigins())
					.containsExactly("https://*.example.com", "https://example.org");
				assertThat(originInterceptor(context, "/rooms/{room}").getAllowedOriginPatterns())
					.containsExactlyInAnyOrder("https://*.example.com", "https://example.org");
				assertThat(originInterceptor(context, "/news").getAllowedOriginPatterns())
					.containsExactlyInAnyOrder("https://*.example.com", "https://example.org");
			});
	}

	@Test
	void handlerMappingIsEmptyWithoutChannels() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ServletChannelTransport.class);
			assertThat(context.getBean("pikkuWebSocketHandlerMapping", WebSocketHandlerMapping.class).getUrlMap())
				.isEmpty();
		});
	}

	@Test
	void transportServesUserDefinedRuntime() {
		this.contextRunner.withUserConfiguration(UserRuntimeConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ServletChannelTransport.class);
			assertThat(context.getBean("pikkuWebSocketHandlerMapping", WebSocketHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/user");
		});
	}

	@Test
	void transportBacksOffWhenUserDefinesOne() {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class, UserTransportConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ServletChannelTransport.class);
				assertThat(context).getBean(ServletChannelTransport.class).isSameAs(context.getBean("userTransport"));
				assertThat(context).doesNotHaveBean("pikkuServletChannelTransport");
				assertThat(context.getBean("pikkuWebSocketHandlerMapping", WebSocketHandlerMapping.class).getUrlMap())
					.containsOnlyKeys("/user");
			});
	}

	@Test
	void handlerMappingBacksOffWhenUserDefinesOneWithTheSameName() {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class, UserHandlerMappingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ServletChannelTransport.class);
				assertThat(context).getBean("pikkuWebSocketHandlerMapping")
					.isExactlyInstanceOf(SimpleUrlHandlerMapping.class);
				assertThat(context).doesNotHaveBean(WebSocketHandlerMapping.class);
			});
	}

	@Test
	void aQuarterOfTheContainersRequestThreadsWriteRepliesInPlace() {
		assertThat(PikkuServletWebSocketAutoConfiguration.inPlaceWriters(new MockEnvironment())).isEqualTo(50);
		assertThat(PikkuServletWebSocketAutoConfiguration
			.inPlaceWriters(new MockEnvironment().withProperty("server.tomcat.threads.max", "20"))).isEqualTo(5);
		assertThat(PikkuServletWebSocketAutoConfiguration
			.inPlaceWriters(new MockEnvironment().withProperty("server.jetty.threads.max", "100"))).isEqualTo(25);
		assertThat(PikkuServletWebSocketAutoConfiguration
			.inPlaceWriters(new MockEnvironment().withProperty("server.tomcat.threads.max", "2"))).isEqualTo(1);
	}

	@Test
	void zeroSendBufferLimitFailsStartUp() {
		assertStartUpFailsNaming("pikku.send-buffer-limit", "0");
	}

	@Test
	void negativeSendTimeLimitFailsStartUp() {
		assertStartUpFailsNaming("pikku.send-time-limit", "-1s");
	}

	private void assertStartUpFailsNaming(String property, String value) {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class)
			.withPropertyValues(property + "=" + value)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining(property);
			});
	}

	@Test
	void transportIsNotConfiguredInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(ChannelsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(ServletChannelTransport.class);
				assertThat(context).doesNotHaveBean("pikkuWebSocketHandlerMapping");
			});
	}

	@Test
	void transportIsNotConfiguredInAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(ChannelsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(ServletChannelTransport.class);
				assertThat(context).doesNotHaveBean("pikkuWebSocketHandlerMapping");
			});
	}

	@Test
	void transportIsNotConfiguredWithoutSpringWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
			.withUserConfiguration(ChannelsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(ServletChannelTransport.class);
				assertThat(context).doesNotHaveBean("pikkuWebSocketHandlerMapping");
			});
	}

	@Test
	void transportIsNotConfiguredWithoutJakartaWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ServerContainer.class))
			.withUserConfiguration(ChannelsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(ServletChannelTransport.class);
			});
	}

	@Test
	void transportIsNotConfiguredWithoutRuntime() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.withUserConfiguration(ChannelsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(ServletChannelTransport.class);
			});
	}

	@Test
	void nothingIsConfiguredWhenPikkuIsDisabled() {
		this.contextRunner.withUserConfiguration(ChannelsConfiguration.class)
			.withPropertyValues("pikku.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(PikkuProperties.class);
				assertThat(context).doesNotHaveBean(ServletChannelTransport.class);
				assertThat(context).doesNotHaveBean("pikkuWebSocketHandlerMapping");
			});
	}

	private static OriginHandshakeInterceptor originInterceptor(AssertableWebApplicationContext context, String route) {
		WebSocketHandlerMapping mapping = context.getBean("pikkuWebSocketHandlerMapping",
				WebSocketHandlerMapping.class);
		Object handler = mapping.getUrlMap().get(route);
		assertThat(handler).as(route).isInstanceOf(WebSocketHttpRequestHandler.class);
		List<HandshakeInterceptor> interceptors = ((WebSocketHttpRequestHandler) handler).getHandshakeInterceptors();
		assertThat(interceptors).hasAtLeastOneElementOfType(OriginHandshakeInterceptor.class);
		return interceptors.stream()
			.filter(OriginHandshakeInterceptor.class::isInstance)
			.map(OriginHandshakeInterceptor.class::cast)
			.findFirst()
			.orElseThrow();
	}

	private static ChannelDefinition<?> channel(String name, String route) {
		return ChannelDefinition.builder(name, route)
			.auth(false)
			.action("echo", PikkuFunction.of(Map.class, (input, context) -> input))
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	static class ChannelsConfiguration {

		@Bean
		ChannelDefinition<?> roomsChannel() {
			return channel("rooms", "/rooms/{room}");
		}

		@Bean
		ChannelDefinition<?> newsChannel() {
			return channel("news", "/news");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRuntimeConfiguration {

		@Bean
		ChannelRuntime userRuntime() {
			return ChannelRuntime.builder(List.of(channel("user", "/user")), JsonMapper.builder().build()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTransportConfiguration {

		@Bean
		ServletChannelTransport userTransport() {
			ChannelRuntime runtime = ChannelRuntime
				.builder(List.of(channel("user", "/user")), JsonMapper.builder().build())
				.build();
			return new ServletChannelTransport(runtime, TransportSettings.of(List.of(), Duration.ofSeconds(1), 1024),
					HandshakeSessionResolver.PRINCIPAL_NAME);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHandlerMappingConfiguration {

		@Bean
		HandlerMapping pikkuWebSocketHandlerMapping() {
			return new SimpleUrlHandlerMapping();
		}

	}

}
