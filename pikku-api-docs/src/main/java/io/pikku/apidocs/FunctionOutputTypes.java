package io.pikku.apidocs;

import java.lang.reflect.Type;

import io.pikku.channel.PikkuFunction;
import org.jspecify.annotations.Nullable;

/**
 * Knows what functions answer where they do not say it themselves
 * ({@link PikkuFunction#outputType()}), e.g. from the generic return types of the
 * {@code @Bean} methods that made them.
 */
@FunctionalInterface
public interface FunctionOutputTypes {

	/** Knows nothing: outputs not given on the functions are unknown. */
	FunctionOutputTypes NONE = (function) -> null;

	/**
	 * What a function answers.
	 * @param function the function
	 * @return its output type, or {@code null} if unknown
	 */
	@Nullable Type outputType(PikkuFunction<?, ?> function);

}
