package io.pikku.security;

import java.util.Set;

import io.pikku.channel.ChannelContext;
import io.pikku.channel.PermissionCheck;
import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Permission checks from Spring Security, for sessions that are an
 * {@link AuthenticationSession}: a call without such a session fails them.
 *
 * <pre class="code">
 * PikkuFunction.builder(Void.class).permission("admin", SpringSecurityPermissions.hasRole("ADMIN"))
 * </pre>
 */
public final class SpringSecurityPermissions {

	private SpringSecurityPermissions() {
	}

	/**
	 * Passes when the session has the role ({@code ROLE_} is added).
	 * @param role the role, e.g. {@code ADMIN}
	 * @return the check
	 */
	public static PermissionCheck hasRole(String role) {
		return hasAnyAuthority(role.startsWith("ROLE_") ? role : "ROLE_" + role);
	}

	/**
	 * Passes when the session has the authority.
	 * @param authority the authority, e.g. {@code SCOPE_todos:write}
	 * @return the check
	 */
	public static PermissionCheck hasAuthority(String authority) {
		return hasAnyAuthority(authority);
	}

	/**
	 * Passes when the session has any of the authorities.
	 * @param authorities the authorities
	 * @return the check
	 */
	public static PermissionCheck hasAnyAuthority(String... authorities) {
		Set<String> wanted = Set.of(authorities);
		return (input, context) -> {
			Authentication authentication = authentication(context);
			return authentication != null && authentication.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.anyMatch(wanted::contains);
		};
	}

	/**
	 * Passes when an {@link AuthorizationManager} grants the call; it is given the
	 * session's authentication and the call's context.
	 * @param manager the manager
	 * @return the check
	 */
	public static PermissionCheck authorizedBy(AuthorizationManager<ChannelContext<?>> manager) {
		return (input, context) -> {
			Authentication authentication = authentication(context);
			if (authentication == null) {
				return false;
			}
			AuthorizationResult result = manager.authorize(() -> authentication, context);
			return result != null && result.isGranted();
		};
	}

	private static @Nullable Authentication authentication(ChannelContext<?> context) {
		PikkuSession session = context.session();
		return (session instanceof AuthenticationSession authenticated) ? authenticated.authentication() : null;
	}

}
