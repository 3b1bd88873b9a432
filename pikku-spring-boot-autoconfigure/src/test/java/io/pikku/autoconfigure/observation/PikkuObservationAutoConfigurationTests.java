package io.pikku.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.pikku.channel.TagMiddleware;
import io.pikku.observation.ObservationMiddleware;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuObservationAutoConfiguration}: calls are observed when tracing is
 * on, and only then.
 */
class PikkuObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PikkuObservationAutoConfiguration.class))
		.withBean(ObservationRegistry.class, ObservationRegistry::create);

	@Test
	void callsAreObservedWhenTracingIsOn() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP).run((context) -> {
			assertThat(context).hasSingleBean(TagMiddleware.class);
			assertThat(context.getBean(TagMiddleware.class).middleware()).singleElement()
				.isInstanceOf(ObservationMiddleware.class);
		});
	}

	@Test
	void noCallIsObservedWithoutTracing() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TagMiddleware.class));
	}

	@Test
	void noCallIsObservedWithoutAnObservationRegistry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PikkuObservationAutoConfiguration.class))
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).doesNotHaveBean(TagMiddleware.class));
	}

	@Test
	void noCallIsObservedWithoutMicrometerTracing() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TagMiddleware.class));
	}

	@Test
	void observationCanBeTurnedOff() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withPropertyValues("pikku.observation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TagMiddleware.class));
	}

	@Test
	void pikkuCanBeTurnedOff() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TagMiddleware.class));
	}

	@Test
	void aUserMiddlewareOfTheSameNameBacksOff() {
		TagMiddleware own = TagMiddleware.global((call, next) -> next.proceed());
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean("pikkuObservationMiddleware", TagMiddleware.class, () -> own)
			.run((context) -> assertThat(context).getBean(TagMiddleware.class).isSameAs(own));
	}

}
