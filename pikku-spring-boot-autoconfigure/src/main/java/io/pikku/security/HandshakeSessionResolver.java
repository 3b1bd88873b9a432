package io.pikku.security;

import java.security.Principal;

import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;

/**
 * Turns the principal of an authenticated upgrade request into the channel's session,
 * established before {@code onConnect}. Declare a bean to change how.
 */
@FunctionalInterface
public interface HandshakeSessionResolver {

	/** Uses the principal's name as the user id. */
	HandshakeSessionResolver PRINCIPAL_NAME = (principal) -> (principal != null) ? PikkuSession.of(principal.getName())
			: null;

	/**
	 * The session for an upgrade request's principal.
	 * @param principal the principal, or {@code null} if the request is anonymous
	 * @return the session, or {@code null} for none
	 */
	@Nullable PikkuSession resolve(@Nullable Principal principal);

}
