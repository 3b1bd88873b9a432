package io.pikku.testing.autoconfigure;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.ChannelDefinition;
import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.context.TestContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ChannelTesterTestExecutionListener}.
 */
class ChannelTesterTestExecutionListenerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
				ChannelTesterAutoConfiguration.class))
		.withBean(ChannelDefinition.class, () -> ChannelDefinition.builder("plain", "/plain").auth(false).build());

	@Test
	void connectionsOfTheContextsTestersAreClosedAfterEachTest() {
		this.contextRunner.run((context) -> {
			ChannelTester tester = context.getBean(ChannelTester.class);
			ChannelTester.Connection own = tester.connect("/plain");
			ChannelTester.Connection mutated = tester.mutate().build().connect("/plain");
			TestContext testContext = mock(TestContext.class);
			given(testContext.hasApplicationContext()).willReturn(true);
			given(testContext.getApplicationContext()).willReturn(context.getSourceApplicationContext());
			new ChannelTesterTestExecutionListener().afterTestMethod(testContext);
			assertThat(own.isClosed()).isTrue();
			assertThat(mutated.isClosed()).isTrue();
			assertThat(tester.connect("/plain").isClosed()).isFalse();
		});
	}

	@Test
	void aTestWithoutAnApplicationContextIsLeftAlone() {
		TestContext testContext = mock(TestContext.class);
		given(testContext.hasApplicationContext()).willReturn(false);
		new ChannelTesterTestExecutionListener().afterTestMethod(testContext);
		org.mockito.Mockito.verify(testContext, org.mockito.Mockito.never()).getApplicationContext();
	}

}
