package io.pikku.autoconfigure.metrics;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pikku.actuate.PikkuEndpoint;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.actuate.PikkuEndpointAutoConfiguration;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.runtime.ChannelConnection;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpenChannel;
import io.pikku.metrics.PikkuMetrics;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuMetricsAutoConfiguration} and
 * {@link PikkuEndpointAutoConfiguration}.
 */
class PikkuMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				PikkuAutoConfiguration.class, PikkuMetricsAutoConfiguration.class))
		.withUserConfiguration(ChannelConfiguration.class);

	private final WebApplicationContextRunner endpointRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				PikkuAutoConfiguration.class, EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				PikkuEndpointAutoConfiguration.class))
		.withUserConfiguration(ChannelConfiguration.class);

	@Test
	void metricsAreConfiguredWhenThereIsAMeterRegistry() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PikkuMetrics.class).hasBean("pikkuMetrics");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(gauge(registry, "lobby")).as("registered before the first connection").isZero();
			assertThat(registry.find("pikku.messages.in").tag("channel", "lobby").counter()).isNotNull();
			assertThat(registry.find("pikku.messages.out").tag("channel", "lobby").counter()).isNotNull();
		});
	}

	@Test
	void theRuntimeReportsConnectionsToTheRegistry() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			OpenChannel first = runtime.open("lobby", Map.of(), null, new NoOpConnection());
			OpenChannel second = runtime.open("lobby", Map.of(), null, new NoOpConnection());
			assertThat(gauge(registry, "lobby")).isEqualTo(2.0);
			first.handleClosed();
			first.handleClosed();
			assertThat(gauge(registry, "lobby")).as("a second close is not counted").isEqualTo(1.0);
			second.handleText("{\"action\":\"hello\"}").toCompletableFuture().join();
			assertThat(registry.get("pikku.messages.in").tag("channel", "lobby").counter().count()).isEqualTo(1.0);
			assertThat(registry.get("pikku.messages.out").tag("channel", "lobby").counter().count()).isEqualTo(1.0);
			assertThat(registry.get("pikku.calls")
				.tags("channel", "lobby", "action", "hello", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
			second.handleClosed();
			assertThat(gauge(registry, "lobby")).isZero();
		});
	}

	@Test
	void noMetricsWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ChannelRuntime.class);
			assertThat(context).doesNotHaveBean(PikkuMetrics.class);
		});
	}

	@Test
	void noMetricsWithoutMicrometer() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(PikkuMetrics.class);
			});
	}

	@Test
	void metricsBackOffWhenTheUserDefinesThem() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class, UserMetricsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(PikkuMetrics.class).doesNotHaveBean("pikkuMetrics");
				assertThat(context).getBean(PikkuMetrics.class).isSameAs(context.getBean("userMetrics"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(ChannelRuntime.class).open("lobby", Map.of(), null, new NoOpConnection());
				assertThat(gauge(registry, "lobby")).as("the user's metrics are the runtime's listener").isEqualTo(1.0);
			});
	}

	@Test
	void noMetricsWhenPikkuIsDisabled() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
			.withPropertyValues("pikku.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(PikkuMetrics.class);
				assertThat(context.getBean(MeterRegistry.class).find("pikku.connections").meters()).isEmpty();
			});
	}

	@Test
	void endpointIsConfiguredWhenExposed() {
		this.endpointRunner.withPropertyValues("management.endpoints.web.exposure.include=pikku").run((context) -> {
			assertThat(context).hasSingleBean(PikkuEndpoint.class);
			PikkuEndpoint.PikkuDescriptor descriptor = context.getBean(PikkuEndpoint.class).channels();
			assertThat(descriptor.channels()).singleElement().satisfies((channel) -> {
				assertThat(channel.name()).isEqualTo("lobby");
				assertThat(channel.route()).isEqualTo("/lobby");
				assertThat(channel.connections()).isZero();
				assertThat(channel.actions()).extracting(PikkuEndpoint.ActionDescriptor::name).containsExactly("hello");
			});
			context.getBean(ChannelRuntime.class).open("lobby", Map.of(), null, new NoOpConnection());
			assertThat(context.getBean(PikkuEndpoint.class).channels().channels().get(0).connections()).isOne();
		});
	}

	@Test
	void endpointIsNotConfiguredWhenNotExposed() {
		this.endpointRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ChannelRuntime.class);
			assertThat(context).doesNotHaveBean(PikkuEndpoint.class);
		});
	}

	@Test
	void endpointIsNotConfiguredWhenDisabled() {
		this.endpointRunner
			.withPropertyValues("management.endpoints.web.exposure.include=pikku",
					"management.endpoint.pikku.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PikkuEndpoint.class);
			});
	}

	@Test
	void endpointIsNotConfiguredWhenItsAccessIsNone() {
		this.endpointRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*", "management.endpoint.pikku.access=NONE")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PikkuEndpoint.class);
			});
	}

	@Test
	void endpointIsNotConfiguredWhenPikkuIsDisabled() {
		this.endpointRunner.withPropertyValues("management.endpoints.web.exposure.include=pikku", "pikku.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PikkuEndpoint.class);
			});
	}

	private static double gauge(MeterRegistry registry, String channel) {
		Gauge gauge = registry.find("pikku.connections").tag("channel", channel).gauge();
		assertThat(gauge).as("pikku.connections{channel=%s}", channel).isNotNull();
		return gauge.value();
	}

	@Configuration(proxyBeanMethods = false)
	static class ChannelConfiguration {

		@Bean
		ChannelDefinition<?> lobbyChannel() {
			return ChannelDefinition.builder("lobby", "/lobby")
				.auth(false)
				.action("hello", PikkuFunction.of(Void.class, (input, context) -> Map.of("hello", true)))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfiguration {

		@Bean
		PikkuMetrics userMetrics(MeterRegistry registry) {
			return new PikkuMetrics(registry, List.of());
		}

	}

	/** A connection that accepts every frame and drops it. */
	static final class NoOpConnection implements ChannelConnection {

		final List<String> sent = new CopyOnWriteArrayList<>();

		@Override
		public void sendText(String text) {
			this.sent.add(text);
		}

		@Override
		public void sendBinary(ByteBuffer data) {
		}

		@Override
		public void close(int code, @Nullable String reason) {
		}

	}

}
