package io.pikku.channel;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * An error code a function declares that it raises itself (with a
 * {@link PikkuException}), for the API description and typed clients. The runtime's own
 * codes ({@code validation_failed}, {@code unauthorized}, ...) are known without it.
 *
 * @param code the error code, e.g. {@code not_found}
 * @param detailsType the type of the error's {@code details}, or {@code null} when it has
 * none or they are not described
 */
public record DeclaredError(String code, @Nullable Type detailsType) {

	public DeclaredError {
		if (code == null || code.isBlank()) {
			throw new IllegalArgumentException("A declared error needs a code");
		}
	}

}
