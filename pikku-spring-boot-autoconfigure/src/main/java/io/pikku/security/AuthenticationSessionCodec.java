package io.pikku.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.SessionCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Stores an {@link AuthenticationSession} as its user's name, authorities and expiry
 * (never the raw token or password behind it), and reads it back as an
 * {@link AuthenticationSession} of a {@link StoredAuthentication}; any other session goes
 * through the plain codec.
 */
public final class AuthenticationSessionCodec implements SessionCodec {

	private static final String TYPE = "spring-security";

	private final JsonMapper mapper;

	private final SessionCodec plain;

	/**
	 * A codec that writes with the given mapper.
	 * @param mapper the JSON mapper
	 */
	public AuthenticationSessionCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.plain = SessionCodec.plain(mapper);
	}

	@Override
	public @Nullable JsonNode encode(PikkuSession session) {
		if (!(session instanceof AuthenticationSession authenticated)) {
			return this.plain.encode(session);
		}
		ObjectNode stored = this.mapper.createObjectNode();
		stored.put("type", TYPE);
		stored.put("userId", authenticated.userId());
		ArrayNode authorities = stored.putArray("authorities");
		authenticated.authorities().forEach(authorities::add);
		Instant expiresAt = authenticated.expiresAt();
		if (expiresAt != null) {
			stored.put("expiresAt", expiresAt.toEpochMilli());
		}
		return stored;
	}

	@Override
	public @Nullable PikkuSession decode(JsonNode stored) {
		if (!TYPE.equals(stored.path("type").asString(null))) {
			return this.plain.decode(stored);
		}
		String name = stored.path("userId").asString(null);
		if (name == null) {
			return null;
		}
		List<SimpleGrantedAuthority> authorities = new ArrayList<>();
		for (JsonNode authority : stored.path("authorities")) {
			authorities.add(new SimpleGrantedAuthority(authority.asString()));
		}
		JsonNode expiresAt = stored.get("expiresAt");
		return AuthenticationSession.of(new StoredAuthentication(name, authorities,
				(expiresAt != null && expiresAt.isNumber()) ? Instant.ofEpochMilli(expiresAt.asLong()) : null));
	}

}
