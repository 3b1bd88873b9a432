package io.pikku.testing.autoconfigure;

import java.util.Set;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * Keeps the component scanning of a {@link PikkuChannelTest @PikkuChannelTest} to the
 * channel configurations it names.
 */
public final class PikkuChannelTypeExcludeFilter
		extends StandardAnnotationCustomizableTypeExcludeFilter<PikkuChannelTest> {

	private final Set<Class<?>> channels;

	PikkuChannelTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
		this.channels = hasAnnotation() ? Set.of(getAnnotation().getClassArray("channels")) : Set.of();
	}

	@Override
	protected Set<Class<?>> getComponentIncludes() {
		return this.channels;
	}

}
