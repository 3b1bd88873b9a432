package io.pikku.sample.security;

import io.pikku.channel.PikkuFunction;
import io.pikku.security.AuthenticationSession;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In-band login, shared by the {@code chat} ({@code authenticate}) and {@code todos}
 * ({@code auth}) channels: a function defined once and wired to two channels.
 */
@Configuration(proxyBeanMethods = false)
public class AuthenticateFunction {

	@Bean
	PikkuFunction<Token, Authenticated> authenticate(TokenService tokens) {
		return PikkuFunction.builder(Token.class)
			.auth(false)
			.summary("Logs this connection in with a token from /api/login")
			.tags("auth")
			.handler((input, context) -> {
				AuthenticationSession session = tokens.authenticate(input.token());
				context.setSession(session);
				return new Authenticated(true, session.userId());
			})
			.build();
	}

}
