package io.pikku.channel;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Documentation of a channel or a function, as in Pikku's {@code docs}: a summary, a
 * longer description and tags.
 *
 * @param summary one line that says what it does, or {@code null}
 * @param description a longer explanation, or {@code null}
 * @param tags free-form tags for grouping
 */
public record Docs(@Nullable String summary, @Nullable String description, List<String> tags) {

	/** Documentation with nothing in it. */
	public static final Docs NONE = new Docs(null, null, List.of());

	public Docs {
		tags = List.copyOf(tags);
	}

	/**
	 * Documentation with a summary and optional tags.
	 * @param summary one line that says what it does
	 * @param tags free-form tags
	 * @return the documentation
	 */
	public static Docs of(String summary, String... tags) {
		return new Docs(summary, null, List.of(tags));
	}

}
