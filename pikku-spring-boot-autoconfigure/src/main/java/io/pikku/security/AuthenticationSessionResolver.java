package io.pikku.security;

import java.security.Principal;

import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Makes the {@link Authentication} of an upgrade request the channel's session; an
 * anonymous or unauthenticated request opens the channel without one.
 */
public final class AuthenticationSessionResolver implements HandshakeSessionResolver {

	@Override
	public @Nullable PikkuSession resolve(@Nullable Principal principal) {
		if (principal instanceof Authentication authentication) {
			if (authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
				return null;
			}
			return AuthenticationSession.of(authentication);
		}
		return PRINCIPAL_NAME.resolve(principal);
	}

}
