package io.pikku.autoconfigure.security;

import io.pikku.channel.runtime.CallScope;
import io.pikku.security.AuthenticationSessionResolver;
import io.pikku.security.HandshakeSessionResolver;
import io.pikku.security.SecurityContextCallScope;
import io.pikku.security.SpringSecurityErrorTranslator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuSecurityAutoConfiguration}.
 */
class PikkuSecurityAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PikkuSecurityAutoConfiguration.class));

	@Test
	void bridgesSpringSecurityByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(CallScope.class).isInstanceOf(SecurityContextCallScope.class);
			assertThat(context).hasSingleBean(SpringSecurityErrorTranslator.class);
			assertThat(context).getBean(HandshakeSessionResolver.class)
				.isInstanceOf(AuthenticationSessionResolver.class);
		});
	}

	@Test
	void userBeansWin() {
		CallScope scope = (call) -> () -> {
		};
		HandshakeSessionResolver resolver = (principal) -> null;
		this.contextRunner.withBean(CallScope.class, () -> scope)
			.withBean(HandshakeSessionResolver.class, () -> resolver)
			.run((context) -> {
				assertThat(context).getBean(CallScope.class).isSameAs(scope);
				assertThat(context).getBean(HandshakeSessionResolver.class).isSameAs(resolver);
				assertThat(context).hasSingleBean(SpringSecurityErrorTranslator.class);
			});
	}

	@Test
	void backsOffWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CallScope.class)
				.doesNotHaveBean(HandshakeSessionResolver.class)
				.doesNotHaveBean(SpringSecurityErrorTranslator.class));
	}

	@Test
	void backsOffWhenPikkuIsDisabled() {
		this.contextRunner.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CallScope.class));
	}

}
