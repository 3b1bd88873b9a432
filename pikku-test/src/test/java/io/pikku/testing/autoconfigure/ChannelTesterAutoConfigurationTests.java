package io.pikku.testing.autoconfigure;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChannelTesterAutoConfiguration}.
 */
class ChannelTesterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
				ChannelTesterAutoConfiguration.class));

	@Test
	void testerDrivesTheApplicationsRuntime() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChannelTester.class).hasSingleBean(ChannelRuntime.class);
			ChannelTester tester = context.getBean(ChannelTester.class);
			assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> tester.connect("/none")))
				.hasMessageContaining("refused with HTTP 404");
		});
	}

	@Test
	void testerBacksOffWhenUserDefinesOne() {
		ChannelTester mine = ChannelTester.forServer("ws://localhost:1").build();
		this.contextRunner.withBean(ChannelTester.class, () -> mine)
			.run((context) -> assertThat(context.getBean(ChannelTester.class)).isSameAs(mine));
	}

	@Test
	void testerIsAbsentWithoutTheRuntimeClass() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ChannelRuntime.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ChannelTester.class));
	}

	@Test
	void testerIsAbsentWhenPikkuIsDisabled() {
		this.contextRunner.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChannelTester.class));
	}

}
