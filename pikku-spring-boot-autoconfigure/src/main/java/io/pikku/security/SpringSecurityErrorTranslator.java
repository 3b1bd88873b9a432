package io.pikku.security;

import io.pikku.channel.ErrorTranslator;
import io.pikku.channel.PikkuException;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/**
 * Answers Spring Security's exceptions as Pikku errors: an {@link AccessDeniedException}
 * (e.g. from {@code @PreAuthorize} on a service a function calls) as {@code forbidden},
 * an {@link AuthenticationException} as {@code unauthorized}.
 */
public final class SpringSecurityErrorTranslator implements ErrorTranslator {

	@Override
	public @Nullable PikkuException translate(Throwable exception) {
		if (exception instanceof AccessDeniedException) {
			return PikkuException.forbidden("Not allowed");
		}
		if (exception instanceof AuthenticationException) {
			return PikkuException.unauthorized("Authentication required");
		}
		return null;
	}

}
