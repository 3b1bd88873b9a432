package io.pikku.testing.autoconfigure;

import org.springframework.boot.test.context.SpringBootTestContextBootstrapper;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Bootstraps a {@link PikkuChannelTest @PikkuChannelTest}: its {@code properties} go into
 * the environment.
 */
class PikkuChannelTestContextBootstrapper extends SpringBootTestContextBootstrapper {

	@Override
	protected String[] getProperties(Class<?> testClass) {
		PikkuChannelTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				PikkuChannelTest.class);
		return (annotation != null) ? annotation.properties() : new String[0];
	}

}
