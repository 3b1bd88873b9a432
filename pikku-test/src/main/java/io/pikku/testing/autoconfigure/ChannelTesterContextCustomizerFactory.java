package io.pikku.testing.autoconfigure;

import java.util.List;

import io.pikku.testing.ChannelTester;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Adds a {@link ChannelTester} over real sockets to the context of a
 * {@code @SpringBootTest} with a random or defined port, unless the test defines one: it
 * connects to {@code local.server.port} under the context path (servlet) or base path
 * (WebFlux), with the application's {@link JsonMapper}, routing property and correlation
 * field.
 */
class ChannelTesterContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		SpringBootTest springBootTest = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				SpringBootTest.class);
		return (springBootTest != null && springBootTest.webEnvironment().isEmbedded())
				? new ChannelTesterContextCustomizer() : null;
	}

	/**
	 * Registers the tester, lazily: the port is known once the server has started.
	 */
	private static final class ChannelTesterContextCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			context.addBeanFactoryPostProcessor(new Registrar(context));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

	private static final class Registrar implements BeanFactoryPostProcessor {

		private final ConfigurableApplicationContext context;

		Registrar(ConfigurableApplicationContext context) {
			this.context = context;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			if (beanFactory.getBeanNamesForType(ChannelTester.class, true, false).length > 0
					|| !(beanFactory instanceof BeanDefinitionRegistry registry)) {
				return;
			}
			RootBeanDefinition definition = new RootBeanDefinition(ChannelTester.class, () -> tester(this.context));
			definition.setLazyInit(true);
			definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			registry.registerBeanDefinition("pikkuChannelTester", definition);
		}

	}

	static ChannelTester tester(ConfigurableApplicationContext context) {
		Environment environment = context.getEnvironment();
		String port = environment.getProperty("local.server.port");
		if (port == null) {
			throw new IllegalStateException("No local.server.port: the ChannelTester over sockets needs a running "
					+ "server, @SpringBootTest(webEnvironment = RANDOM_PORT or DEFINED_PORT)");
		}
		boolean ssl = environment.getProperty("server.ssl.enabled", Boolean.class, false);
		ChannelTester.Builder builder = ChannelTester
			.forServer((ssl ? "wss" : "ws") + "://localhost:" + port + basePath(context, environment));
		JsonMapper jsonMapper = context.getBeanProvider(JsonMapper.class).getIfAvailable();
		if (jsonMapper != null) {
			builder.jsonMapper(jsonMapper);
		}
		builder.routingProperty(environment.getProperty("pikku.default-routing-property", "action"));
		builder.correlationField(environment.getProperty("pikku.correlation-field", "correlationId"));
		return builder.build();
	}

	private static String basePath(ConfigurableApplicationContext context, Environment environment) {
		String servletContext = "org.springframework.web.context.WebApplicationContext";
		boolean servlet = ClassUtils.isPresent(servletContext, context.getClassLoader())
				&& ClassUtils.resolveClassName(servletContext, context.getClassLoader()).isInstance(context);
		String path = servlet ? environment.getProperty("server.servlet.context-path", "")
				: environment.getProperty("spring.webflux.base-path", "");
		return (path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

}
