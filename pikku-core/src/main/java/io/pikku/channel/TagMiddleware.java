package io.pikku.channel;

import java.util.List;

/**
 * Middleware for every channel and function with a tag, or for all of them: declare it as
 * a {@code @Bean}; beans apply in their order ({@code @Order}).
 *
 * <pre class="code">
 * &#64;Bean
 * TagMiddleware audit(AuditLog log) {
 *     return TagMiddleware.global((call, next) -&gt; { log.record(call.action()); return next.proceed(); });
 * }
 * </pre>
 *
 * @param tag the tag, or {@code *} for all
 * @param middleware the wire middleware, outermost first
 * @param channelMiddleware the channel (outbound) middleware, outermost first
 */
public record TagMiddleware(String tag, List<PikkuMiddleware> middleware, List<ChannelMiddleware> channelMiddleware) {

	/** The tag that matches every channel and function. */
	public static final String ALL = "*";

	public TagMiddleware {
		if (tag == null || tag.isBlank()) {
			throw new IllegalArgumentException("A tag must not be blank");
		}
		middleware = List.copyOf(middleware);
		channelMiddleware = List.copyOf(channelMiddleware);
	}

	/**
	 * Wire middleware for every call.
	 * @param middleware the middleware, outermost first
	 * @return the registration
	 */
	public static TagMiddleware global(PikkuMiddleware... middleware) {
		return new TagMiddleware(ALL, List.of(middleware), List.of());
	}

	/**
	 * Wire middleware for calls whose channel or function has the tag.
	 * @param tag the tag
	 * @param middleware the middleware, outermost first
	 * @return the registration
	 */
	public static TagMiddleware forTag(String tag, PikkuMiddleware... middleware) {
		return new TagMiddleware(tag, List.of(middleware), List.of());
	}

	/**
	 * Channel middleware for channels with the tag ({@code *} for all).
	 * @param tag the tag
	 * @param middleware the channel middleware, outermost first
	 * @return the registration
	 */
	public static TagMiddleware channelMiddleware(String tag, ChannelMiddleware... middleware) {
		return new TagMiddleware(tag, List.of(), List.of(middleware));
	}

	/**
	 * Whether this registration applies to something with these tags.
	 * @param tags the channel's and function's tags
	 * @return whether it applies
	 */
	public boolean appliesTo(java.util.Collection<String> tags) {
		return ALL.equals(this.tag) || tags.contains(this.tag);
	}

}
