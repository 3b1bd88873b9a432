package io.pikku.autoconfigure.web.reactive;

import java.time.Duration;
import java.util.List;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.web.TransportSettings;
import io.pikku.web.reactive.ReactiveChannelTransport;
import io.pikku.web.reactive.ReactorNettyUpgradeStrategy;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuReactiveWebSocketAutoConfiguration}.
 */
class PikkuReactiveWebSocketAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
				PikkuReactiveWebSocketAutoConfiguration.class))
		.withBean("rooms", ChannelDefinition.class, () -> ChannelDefinition.builder("rooms", "/rooms/{room}").build())
		.withBean("news", ChannelDefinition.class, () -> ChannelDefinition.builder("news", "/news").build());

	@Test
	void transportAndHandlerMappingServeEveryChannelRoute() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ReactiveChannelTransport.class);
			HandlerMapping mapping = context.getBean("pikkuWebSocketHandlerMapping", HandlerMapping.class);
			assertThat(mapping).isInstanceOf(SimpleUrlHandlerMapping.class);
			assertThat(((SimpleUrlHandlerMapping) mapping).getUrlMap()).containsOnlyKeys("/rooms/{room}", "/news");
			assertThat(context.getBean(WebSocketService.class)).isInstanceOf(HandshakeWebSocketService.class);
			assertThat(((HandshakeWebSocketService) context.getBean(WebSocketService.class)).getUpgradeStrategy())
				.isInstanceOf(ReactorNettyUpgradeStrategy.class);
		});
	}

	@Test
	void settingsAreBoundFromProperties() {
		this.contextRunner
			.withPropertyValues("pikku.send-time-limit=3s", "pikku.send-buffer-limit=1MB",
					"pikku.channels.allowed-origins=https://example.org")
			.run((context) -> {
				TransportSettings settings = context.getBean(ReactiveChannelTransport.class).settings();
				assertThat(settings.sendTimeLimit()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.sendBufferLimit()).isEqualTo(1024 * 1024);
				assertThat(settings.allowedOriginPatterns()).containsExactly("https://example.org");
			});
	}

	@Test
	void userTransportAndMappingWin() {
		this.contextRunner.withBean("userTransport", ReactiveChannelTransport.class, () -> {
			ChannelRuntime runtime = ChannelRuntime
				.builder(List.of(ChannelDefinition.builder("user", "/user").build()), JsonMapper.builder().build())
				.build();
			return new ReactiveChannelTransport(runtime, TransportSettings.of(List.of(), Duration.ofSeconds(1), 1024),
					HandshakeSessionResolver.PRINCIPAL_NAME, new HandshakeWebSocketService(),
					(task) -> Schedulers.boundedElastic().schedule(task));
		}).run((context) -> {
			assertThat(context).getBean(ReactiveChannelTransport.class).isSameAs(context.getBean("userTransport"));
			assertThat(((SimpleUrlHandlerMapping) context.getBean("pikkuWebSocketHandlerMapping")).getUrlMap())
				.containsOnlyKeys("/user");
		});
	}

	@Test
	void notOnTheServletStack() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
					PikkuReactiveWebSocketAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveChannelTransport.class));
	}

	@Test
	void backsOffWithoutWebFlux() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketService.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveChannelTransport.class));
	}

	@Test
	void backsOffWhenPikkuIsDisabled() {
		this.contextRunner.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveChannelTransport.class));
	}

}
