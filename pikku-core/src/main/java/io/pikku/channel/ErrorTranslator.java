package io.pikku.channel;

import org.jspecify.annotations.Nullable;

/**
 * Turns an exception a function threw into the error its client is answered with, e.g.
 * Spring Security's {@code AccessDeniedException} into {@code forbidden}. Exceptions no
 * translator knows are answered {@code internal}, their text kept out of the reply.
 */
@FunctionalInterface
public interface ErrorTranslator {

	/**
	 * Translates an exception.
	 * @param exception what a function or middleware threw
	 * @return the client error, or {@code null} if this translator does not know it
	 */
	@Nullable PikkuException translate(Throwable exception);

}
