package io.pikku.apidocs;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An error code a call or channel may answer, with the shape of its {@code details}.
 *
 * @param code the code, e.g. {@code validation_failed}
 * @param description when it is answered
 * @param details the JSON Schema of the details, or {@code null} when the error has none
 * or they are not described
 * @param detailsAlways whether every error of this code carries details
 */
public record ApiError(String code, String description, @Nullable JsonNode details, boolean detailsAlways) {

}
