package io.pikku.apidocs;

import java.util.List;

import io.pikku.channel.Docs;
import org.jspecify.annotations.Nullable;

/**
 * A wired action (or a channel's default handler) as the API description shows it.
 *
 * @param routingProperty the routing property, or {@code null} for the default handler
 * @param name the action name, or {@code null} for the default handler
 * @param docs the function's docs
 * @param auth whether a call needs a session
 * @param input what a call sends, without the routing property
 * @param output what the function answers
 * @param errors the error codes a call may answer, in the order the runtime checks them
 */
public record ApiAction(@Nullable String routingProperty, @Nullable String name, Docs docs, boolean auth, ApiType input,
		ApiType output, List<ApiError> errors) {

	public ApiAction {
		errors = List.copyOf(errors);
	}

	/**
	 * Whether this is the channel's default handler.
	 * @return {@code true} for the default handler
	 */
	public boolean isDefaultHandler() {
		return this.name == null;
	}

}
