package io.pikku.autoconfigure.client;

import io.pikku.client.PikkuClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuClientAutoConfiguration}.
 */
class PikkuClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuClientAutoConfiguration.class));

	@Test
	void builderUsesTheApplicationsJsonMapperAndIsNewForEachInjection() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PikkuClient.Builder.class);
			PikkuClient.Builder first = context.getBean(PikkuClient.Builder.class);
			assertThat(context.getBean(PikkuClient.Builder.class)).isNotSameAs(first);
			assertThat(first.baseUri("ws://localhost:8080").build().jsonMapper())
				.isSameAs(context.getBean(JsonMapper.class));
		});
	}

	@Test
	void customizersAreApplied() {
		JsonMapper custom = JsonMapper.builder().build();
		this.contextRunner
			.withBean(PikkuClientBuilderCustomizer.class, () -> (builder) -> builder.baseUri("ws://chat:8080"))
			.withBean("second", PikkuClientBuilderCustomizer.class, () -> (builder) -> builder.jsonMapper(custom))
			.run((context) -> {
				PikkuClient client = context.getBean(PikkuClient.Builder.class).build();
				assertThat(client.baseUri()).hasToString("ws://chat:8080");
				assertThat(client.jsonMapper()).isSameAs(custom);
			});
	}

	@Test
	void builderBacksOffWhenUserDefinesOne() {
		this.contextRunner.withUserConfiguration(UserBuilderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PikkuClient.Builder.class);
			assertThat(context.getBean(PikkuClient.Builder.class).build().baseUri()).hasToString("ws://mine:1");
		});
	}

	@Test
	void builderIsAbsentWithoutTheClientOnTheClassPath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(PikkuClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PikkuClient.Builder.class));
	}

	@Test
	void builderIsAbsentWhenPikkuIsDisabled() {
		this.contextRunner.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PikkuClient.Builder.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBuilderConfiguration {

		@Bean
		PikkuClient.Builder userBuilder() {
			return PikkuClient.builder("ws://mine:1");
		}

	}

}
