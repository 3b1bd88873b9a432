package io.pikku.sample.security;

import java.time.Instant;
import java.util.List;

import io.pikku.channel.PikkuException;
import io.pikku.security.AuthenticationSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.stereotype.Service;

/**
 * Issues the sample's tokens and turns a token sent in-band into a session.
 */
@Service
public class TokenService {

	private final JwtEncoder encoder;

	private final JwtDecoder decoder;

	private final JwtAuthenticationConverter converter;

	private final JwtProperties properties;

	public TokenService(JwtEncoder encoder, JwtDecoder decoder, JwtAuthenticationConverter converter,
			JwtProperties properties) {
		this.encoder = encoder;
		this.decoder = decoder;
		this.converter = converter;
		this.properties = properties;
	}

	/**
	 * A signed token for an authenticated user, with its roles in a {@code roles} claim.
	 * @param authentication the user
	 * @return the token
	 */
	public String issue(Authentication authentication) {
		Instant now = Instant.now();
		List<String> roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith("ROLE_"))
			.map((authority) -> authority.substring("ROLE_".length()))
			.toList();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.subject(authentication.getName())
			.issuedAt(now)
			.expiresAt(now.plus(this.properties.lifetime()))
			.claim("roles", roles)
			.build();
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

	/**
	 * The session of a token sent in-band.
	 * @param token the token
	 * @return the session
	 * @throws PikkuException {@code unauthorized} if the token is invalid or expired
	 */
	public AuthenticationSession authenticate(String token) {
		try {
			return AuthenticationSession.of(this.converter.convert(this.decoder.decode(token)));
		}
		catch (JwtException | IllegalArgumentException ex) {
			throw PikkuException.unauthorized("Invalid token");
		}
	}

}
