package io.pikku.sample.security;

import java.nio.charset.StandardCharsets;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.pikku.gateway.GatewayAuthenticationEntryPoint;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcherEntry;
import org.springframework.web.reactive.config.BlockingExecutionConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * The sample's security: demo users with hashed passwords, HS256 tokens from
 * {@code /api/login}, accepted at the handshake as a bearer header or an
 * {@code access_token} query parameter. Channel routes are open at the HTTP level: each
 * channel does its own auth, and a bad handshake token is still refused with 401. The
 * same rules hold on both web stacks.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtProperties.class)
public class SecurityConfiguration {

	private static final String[] PUBLIC_PATHS = { "/api/login", "/", "/index.html", "/*.js", "/*.css", "/favicon.ico",
			"/pikku/asyncapi.json", "/pikku/asyncapi.yaml" };

	private static final String GATEWAY_PATHS = "/pikku/gateway/**";

	/** The servlet stack (the default): a filter chain. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class ServletSecurity {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			// Every WebSocket upgrade is let through: each channel does its own auth (a
			// bad handshake token is still refused with 401), and an unknown route
			// answers 404.
			RequestMatcher upgrades = (request) -> "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
			http.authorizeHttpRequests((requests) -> requests.requestMatchers(upgrades)
				.permitAll()
				.requestMatchers(PUBLIC_PATHS)
				.permitAll()
				// behind API Gateway (profile gateway): its integrations carry the shared
				// secret, and each channel does its own auth as on an upgrade
				.requestMatchers(GATEWAY_PATHS)
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/login", GATEWAY_PATHS))
				.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> {
				})
					// a bad token at the gateway's $connect is refused in the channels'
					// error shape
					.authenticationEntryPoint(
							new DelegatingAuthenticationEntryPoint(new BearerTokenAuthenticationEntryPoint(),
									new RequestMatcherEntry<>(PathPatternRequestMatcher.pathPattern(GATEWAY_PATHS),
											new GatewayAuthenticationEntryPoint()))));
			return http.build();
		}

		@Bean
		DefaultBearerTokenResolver bearerTokenResolver() {
			DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
			resolver.setAllowUriQueryParameter(true);
			return resolver;
		}

	}

	/**
	 * The reactive stack ({@code --spring.main.web-application-type=reactive}): the same
	 * rules as a web filter chain, and the login's blocking password check off the event
	 * loop.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveSecurity {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, JwtProperties properties,
				JwtAuthenticationConverter jwtAuthenticationConverter) {
			ServerWebExchangeMatcher upgrades = (
					exchange) -> "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())
							? MatchResult.match() : MatchResult.notMatch();
			ServerBearerTokenAuthenticationConverter bearerTokens = new ServerBearerTokenAuthenticationConverter();
			bearerTokens.setAllowUriQueryParameter(true);
			ServerWebExchangeMatcher login = ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/api/login");
			http.authorizeExchange((exchanges) -> exchanges.matchers(upgrades)
				.permitAll()
				.pathMatchers(PUBLIC_PATHS)
				.permitAll()
				.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.pathMatchers("/actuator/**")
				.hasRole("ADMIN")
				.anyExchange()
				.authenticated())
				.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(new AndServerWebExchangeMatcher(
						CsrfWebFilter.DEFAULT_CSRF_MATCHER, new NegatedServerWebExchangeMatcher(login))))
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.oauth2ResourceServer((resourceServer) -> resourceServer.bearerTokenConverter(bearerTokens)
					.jwt((jwt) -> jwt
						.jwtAuthenticationConverter(
								new ReactiveJwtAuthenticationConverterAdapter(jwtAuthenticationConverter))
						.jwtDecoder(NimbusReactiveJwtDecoder.withSecretKey(secretKey(properties))
							.macAlgorithm(MacAlgorithm.HS256)
							.build())));
			return http.build();
		}

		/** The login checks a BCrypt password, which blocks: not on an event loop. */
		@Bean
		WebFluxConfigurer blockingLogin() {
			return new WebFluxConfigurer() {
				@Override
				public void configureBlockingExecution(BlockingExecutionConfigurer configurer) {
					configurer
						.setExecutor(new TaskExecutorAdapter((task) -> Schedulers.boundedElastic().schedule(task)));
				}
			};
		}

	}

	@Bean
	UserDetailsService userDetailsService() {
		// The demo users' passwords (alice-pass, bob-pass, admin-pass), hashed with
		// BCrypt.
		return new InMemoryUserDetailsManager(
				User.withUsername("alice")
					.password("{bcrypt}$2a$10$FiS4Baluqe4QLKYo0Wjs2ekZJelDQkQQk2yBfRPrOkb/tOerTkBNe")
					.roles("USER")
					.build(),
				User.withUsername("bob")
					.password("{bcrypt}$2a$10$x0hlOD9pwowZvNS1NjXcEe3mhmIMaRFfhx2KshBY6WJ7g8CxNdXEi")
					.roles("USER")
					.build(),
				User.withUsername("admin")
					.password("{bcrypt}$2a$10$3kjBKlLL.JB01/I/o8wkm.tHKzVsfm8pc6i062Cu3JUIbiOR6TAzu")
					.roles("USER", "ADMIN")
					.build());
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder passwordEncoder) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
		provider.setPasswordEncoder(passwordEncoder);
		return new ProviderManager(provider);
	}

	@Bean
	JwtDecoder jwtDecoder(JwtProperties properties) {
		return NimbusJwtDecoder.withSecretKey(secretKey(properties)).macAlgorithm(MacAlgorithm.HS256).build();
	}

	@Bean
	JwtEncoder jwtEncoder(JwtProperties properties) {
		return new NimbusJwtEncoder(new ImmutableSecret<>(secretKey(properties)));
	}

	@Bean
	JwtAuthenticationConverter jwtAuthenticationConverter() {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		authorities.setAuthoritiesClaimName("roles");
		authorities.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(authorities);
		return converter;
	}

	private static SecretKey secretKey(JwtProperties properties) {
		return new SecretKeySpec(properties.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

}
