package io.pikku.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.util.ClassUtils;

/**
 * A session that is a Spring Security {@link Authentication}: its user id is
 * {@link Authentication#getName()}, and while a function runs the {@code SecurityContext}
 * holds it, so that method security works inside functions.
 *
 * <pre class="code">
 * context.setSession(AuthenticationSession.of(jwtAuthenticationConverter.convert(jwtDecoder.decode(token))));
 * </pre>
 *
 * @param authentication the authentication
 */
public record AuthenticationSession(@JsonIgnore Authentication authentication) implements PikkuSession {

	private static final boolean OAUTH2_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken",
			AuthenticationSession.class.getClassLoader());

	public AuthenticationSession {
		Objects.requireNonNull(authentication, "authentication");
	}

	/**
	 * The session of an authentication.
	 * @param authentication the authentication
	 * @return the session
	 */
	public static AuthenticationSession of(Authentication authentication) {
		return new AuthenticationSession(authentication);
	}

	@Override
	@JsonProperty
	public String userId() {
		return this.authentication.getName();
	}

	/**
	 * When the token behind the authentication expires, for OAuth 2 token authentications
	 * (e.g. a bearer JWT) and authentications read back from a store; others do not
	 * expire.
	 * @return the expiry, or {@code null}
	 */
	@Override
	@JsonIgnore
	public @Nullable Instant expiresAt() {
		if (this.authentication instanceof StoredAuthentication stored) {
			return stored.getExpiresAt();
		}
		if (OAUTH2_PRESENT && this.authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
			return token.getToken().getExpiresAt();
		}
		return null;
	}

	/**
	 * The granted authorities, e.g. {@code ROLE_ADMIN}.
	 * @return the authority names
	 */
	@JsonProperty
	public List<String> authorities() {
		return this.authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
	}

}
