package io.pikku.apidocs.boot;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * Opens {@link BeanOutputTypes#unwrap(ResolvableType)} to the auto-configuration's tests.
 */
public final class BeanOutputTypesAccess {

	private BeanOutputTypesAccess() {
	}

	public static @Nullable Type unwrap(ResolvableType result) {
		return BeanOutputTypes.unwrap(result);
	}

}
