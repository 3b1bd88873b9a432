package io.pikku.security;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authentication read back from a channel store: the user's name, authorities and the
 * expiry of the credential it came from, never the credential itself. What
 * {@link AuthenticationSessionCodec} restores, so that a runtime that rebuilds its
 * connections on every event keeps method security, permissions and expiry.
 */
public final class StoredAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final String name;

	private final @Nullable Instant expiresAt;

	/**
	 * An authenticated user.
	 * @param name the user's name
	 * @param authorities the granted authorities
	 * @param expiresAt when the credential expires, or {@code null}
	 */
	public StoredAuthentication(String name, Collection<? extends GrantedAuthority> authorities,
			@Nullable Instant expiresAt) {
		super(authorities);
		this.name = Objects.requireNonNull(name, "name");
		this.expiresAt = expiresAt;
		setAuthenticated(true);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public @Nullable Object getCredentials() {
		return null;
	}

	@Override
	public Object getPrincipal() {
		return this.name;
	}

	/**
	 * When the credential behind it expires.
	 * @return the expiry, or {@code null} if it does not
	 */
	public @Nullable Instant getExpiresAt() {
		return this.expiresAt;
	}

}
