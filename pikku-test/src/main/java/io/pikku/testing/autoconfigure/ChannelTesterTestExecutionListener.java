package io.pikku.testing.autoconfigure;

import io.pikku.testing.ChannelTester;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Closes the connections each test opened with the context's {@link ChannelTester}s (and
 * the testers mutated from them), so that none outlives its test in a cached context.
 */
public class ChannelTesterTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return 2100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		if (!(context instanceof ConfigurableApplicationContext configurable) || !configurable.isActive()) {
			return;
		}
		ConfigurableListableBeanFactory beanFactory = configurable.getBeanFactory();
		for (String name : beanFactory.getBeanNamesForType(ChannelTester.class, false, false)) {
			if (beanFactory.containsSingleton(name)) {
				((ChannelTester) beanFactory.getSingleton(name)).close();
			}
		}
	}

}
