package io.pikku.sample.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the sample signs its tokens, under {@code sample.jwt}.
 *
 * @param secret the HS256 secret, at least 256 bits (32 bytes)
 * @param lifetime how long a token is valid
 */
@ConfigurationProperties("sample.jwt")
public record JwtProperties(String secret, Duration lifetime) {

	public JwtProperties {
		if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
			throw new IllegalArgumentException("sample.jwt.secret must be at least 256 bits (32 bytes) for HS256");
		}
		if (lifetime == null) {
			lifetime = Duration.ofHours(1);
		}
	}

}
