package io.pikku.security;

import io.pikku.channel.ChannelContext;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.CallScope;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Puts the call's session in the {@code SecurityContext} while a function runs, and
 * restores what the thread held before, so that nothing leaks between connections that
 * share a thread. A session that is not an {@link AuthenticationSession} runs with an
 * empty context.
 */
public final class SecurityContextCallScope implements CallScope {

	private final SecurityContextHolderStrategy strategy;

	/**
	 * A scope on the given strategy.
	 * @param strategy where the security context is held
	 */
	public SecurityContextCallScope(SecurityContextHolderStrategy strategy) {
		this.strategy = strategy;
	}

	private static final Scope NOTHING = () -> {
	};

	@Override
	public Scope enter(ChannelContext<?> context) {
		SecurityContext previous = this.strategy.getContext();
		PikkuSession session = context.session();
		Authentication authentication = (session instanceof AuthenticationSession authenticated)
				? authenticated.authentication() : null;
		if (authentication == null && previous.getAuthentication() == null) {
			// An anonymous call on a thread with an empty context: nothing to set.
			return NOTHING;
		}
		SecurityContext current = this.strategy.createEmptyContext();
		current.setAuthentication(authentication);
		this.strategy.setContext(current);
		return () -> {
			if (previous.getAuthentication() == null) {
				this.strategy.clearContext();
			}
			else {
				this.strategy.setContext(previous);
			}
		};
	}

}
