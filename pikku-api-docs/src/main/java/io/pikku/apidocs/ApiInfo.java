package io.pikku.apidocs;

import org.jspecify.annotations.Nullable;

/**
 * What the API description says about the application.
 *
 * @param title the title
 * @param version the version of the API
 * @param description a longer description, or {@code null}
 */
public record ApiInfo(String title, String version, @Nullable String description) {

	public ApiInfo {
		if (title == null || title.isBlank()) {
			throw new IllegalArgumentException("The API description needs a title");
		}
		if (version == null || version.isBlank()) {
			throw new IllegalArgumentException("The API description needs a version");
		}
	}

}
