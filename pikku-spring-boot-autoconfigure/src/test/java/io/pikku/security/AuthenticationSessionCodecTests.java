package io.pikku.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.pikku.channel.PikkuSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationSessionCodecTests {

	private final AuthenticationSessionCodec codec = new AuthenticationSessionCodec(JsonMapper.builder().build());

	@Test
	void aTokenAuthenticationKeepsItsNameAuthoritiesAndExpiryButNeverTheToken() {
		Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
		Jwt jwt = Jwt.withTokenValue("secret-token-value")
			.header("alg", "HS256")
			.subject("alice")
			.expiresAt(expiry)
			.issuedAt(expiry.minusSeconds(3600))
			.build();
		JwtAuthenticationToken token = new JwtAuthenticationToken(jwt,
				List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN")), "alice");
		JsonNode stored = this.codec.encode(AuthenticationSession.of(token));
		assertThat(stored.toString()).doesNotContain("secret-token-value").contains("alice");
		PikkuSession restored = this.codec.decode(stored);
		assertThat(restored).isInstanceOf(AuthenticationSession.class);
		AuthenticationSession session = (AuthenticationSession) restored;
		assertThat(session.userId()).isEqualTo("alice");
		assertThat(session.authorities()).containsExactly("ROLE_USER", "ROLE_ADMIN");
		assertThat(session.expiresAt()).isEqualTo(expiry);
		assertThat(session.authentication().isAuthenticated()).isTrue();
		assertThat(session.authentication().getCredentials()).isNull();
	}

	@Test
	void anExpiredStoredSessionIsStillExpired() {
		Instant past = Instant.now().minusSeconds(60);
		AuthenticationSession session = AuthenticationSession.of(new StoredAuthentication("bob", List.of(), past));
		PikkuSession restored = this.codec.decode(this.codec.encode(session));
		assertThat(restored.isExpired(Instant.now())).isTrue();
	}

	@Test
	void aPasswordAuthenticationNeverStoresThePassword() {
		UsernamePasswordAuthenticationToken password = UsernamePasswordAuthenticationToken.authenticated("carol",
				"carol-pass", List.of(new SimpleGrantedAuthority("ROLE_USER")));
		JsonNode stored = this.codec.encode(AuthenticationSession.of(password));
		assertThat(stored.toString()).doesNotContain("carol-pass");
		assertThat(this.codec.decode(stored).userId()).isEqualTo("carol");
	}

	@Test
	void otherSessionsGoThroughThePlainCodec() {
		PikkuSession plain = PikkuSession.of("dave", Map.of("team", "blue"));
		PikkuSession restored = this.codec.decode(this.codec.encode(plain));
		assertThat(restored.userId()).isEqualTo("dave");
		assertThat(restored.expiresAt()).isNull();
	}

}
