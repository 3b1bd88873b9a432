package io.pikku.channel.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuException;
import io.pikku.eventhub.ReservedTopicException;
import io.pikku.eventhub.SubscriptionLimitExceededException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns what went wrong into the error a client is answered with.
 */
final class Errors {

	private Errors() {
	}

	static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The client-facing error for an exception, or {@code null} if it is internal.
	 */
	static @Nullable PikkuException toClientError(Throwable ex) {
		if (ex instanceof PikkuException pikku) {
			return pikku;
		}
		if (ex instanceof SubscriptionLimitExceededException limit) {
			return new PikkuException(ChannelErrorCodes.LIMIT_EXCEEDED, limit.getMessage(),
					Map.of("limit", limit.getLimit()));
		}
		if (ex instanceof ReservedTopicException reserved) {
			return PikkuException.forbidden(reserved.getMessage());
		}
		if (ex instanceof ConstraintViolationException violations) {
			return validationFailed("Invalid input", violations.getConstraintViolations());
		}
		return null;
	}

	static PikkuException validationFailed(String message, Collection<? extends ConstraintViolation<?>> violations) {
		List<Map<String, String>> details = new ArrayList<>(violations.size());
		violations.stream()
			.sorted(Comparator.comparing((ConstraintViolation<?> v) -> v.getPropertyPath().toString())
				.thenComparing(ConstraintViolation::getMessage))
			.forEach(
					(violation) -> details.add(detail(violation.getPropertyPath().toString(), violation.getMessage())));
		return new PikkuException(ChannelErrorCodes.VALIDATION_FAILED, message, details);
	}

	/**
	 * One entry of a {@code validation_failed} error's details: the field (omitted when
	 * empty) and what is wrong with it.
	 */
	static Map<String, String> detail(String field, String problem) {
		Map<String, String> detail = new LinkedHashMap<>(4);
		if (!field.isEmpty()) {
			detail.put("field", field);
		}
		detail.put("message", problem);
		return detail;
	}

	static PikkuException bindingFailed(String message, JacksonException ex) {
		return new PikkuException(ChannelErrorCodes.VALIDATION_FAILED, message, List.of(detail(path(ex), problem(ex))));
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String problem(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "is not a known field";
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
				return "is out of range for " + coercion.getTargetType().getSimpleName();
			}
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return "must be " + describe(mismatch.getTargetType());
		}
		return "has an invalid value";
	}

	private static String describe(Class<?> type) {
		if (type == String.class || type == Character.class || type == char.class
				|| CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "a boolean";
		}
		if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
			return (type == int.class || type == long.class || type == short.class || type == byte.class
					|| type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
					|| type == java.math.BigInteger.class) ? "an integer" : "a number";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (type.isEnum()) {
			List<String> names = new ArrayList<>();
			for (Object constant : type.getEnumConstants()) {
				names.add(constant.toString());
			}
			return "one of " + names;
		}
		return "an object";
	}

}
