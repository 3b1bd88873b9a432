package io.pikku.autoconfigure.security;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.runtime.CallScope;
import io.pikku.security.AuthenticationSessionResolver;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.security.SecurityContextCallScope;
import io.pikku.security.SpringSecurityErrorTranslator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Auto-configuration of the Spring Security bridge: the upgrade request's
 * {@code Authentication} becomes the channel's session, and the {@code SecurityContext}
 * holds the session while each function runs.
 */
@AutoConfiguration(before = PikkuAutoConfiguration.class)
@ConditionalOnClass(SecurityContextHolder.class)
@ConditionalOnBooleanProperty(name = "pikku.enabled", matchIfMissing = true)
public final class PikkuSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CallScope pikkuSecurityCallScope(ObjectProvider<SecurityContextHolderStrategy> strategy) {
		return new SecurityContextCallScope(strategy.getIfAvailable(SecurityContextHolder::getContextHolderStrategy));
	}

	@Bean
	@ConditionalOnMissingBean
	SpringSecurityErrorTranslator pikkuSpringSecurityErrorTranslator() {
		return new SpringSecurityErrorTranslator();
	}

	@Bean
	@ConditionalOnMissingBean
	HandshakeSessionResolver pikkuHandshakeSessionResolver() {
		return new AuthenticationSessionResolver();
	}

}
