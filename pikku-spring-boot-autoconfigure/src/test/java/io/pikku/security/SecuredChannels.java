package io.pikku.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.pikku.channel.ChannelContext;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PermissionCheck;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.PikkuSession;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import reactor.core.publisher.Mono;
import org.springframework.stereotype.Service;

import static io.pikku.security.SpringSecurityPermissions.hasRole;

/**
 * A secured application for the integration tests: HTTP Basic and HS256 JWT bearer tokens
 * (header or {@code access_token} query parameter) on the upgrade request, in-band login
 * with a token, permissions and method security inside functions.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableMethodSecurity
class SecuredChannels {

	/** A 256-bit HS256 secret, for tests only. */
	static final byte[] SECRET = "pikku-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
		.getBytes(StandardCharsets.UTF_8);

	/** The servlet stack: a filter chain. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@EnableWebSecurity
	static class ServletSecurity {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http,
				JwtAuthenticationConverter jwtAuthenticationConverter) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/secure", "/auth/**", "/perm/**")
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.anyRequest()
				.authenticated())
				.httpBasic(Customizer.withDefaults())
				.oauth2ResourceServer((resourceServer) -> resourceServer
					.jwt((jwt) -> jwt.jwtAuthenticationConverter(jwtAuthenticationConverter)))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		DefaultBearerTokenResolver bearerTokenResolver() {
			DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
			resolver.setAllowUriQueryParameter(true);
			return resolver;
		}

	}

	/** The reactive stack: the same rules as a web filter chain. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@EnableWebFluxSecurity
	static class ReactiveSecurity {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http,
				JwtAuthenticationConverter jwtAuthenticationConverter) {
			ServerBearerTokenAuthenticationConverter bearerTokens = new ServerBearerTokenAuthenticationConverter();
			bearerTokens.setAllowUriQueryParameter(true);
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/secure", "/auth/**", "/perm/**")
				.permitAll()
				.anyExchange()
				.authenticated())
				.httpBasic(Customizer.withDefaults())
				.oauth2ResourceServer((resourceServer) -> resourceServer.bearerTokenConverter(bearerTokens)
					.jwt((jwt) -> jwt
						.jwtAuthenticationConverter(
								new ReactiveJwtAuthenticationConverterAdapter(jwtAuthenticationConverter))
						.jwtDecoder(NimbusReactiveJwtDecoder.withSecretKey(secretKey()).build())))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		ReactiveUserDetailsService reactiveUserDetailsService(UserDetailsService users) {
			return (username) -> Mono.fromCallable(() -> users.loadUserByUsername(username))
				.onErrorResume(UsernameNotFoundException.class, (ex) -> Mono.empty());
		}

	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	UserDetailsService userDetailsService(PasswordEncoder passwordEncoder) {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password(passwordEncoder.encode("alice-password")).roles("USER").build(),
				User.withUsername("admin")
					.password(passwordEncoder.encode("admin-password"))
					.roles("USER", "ADMIN")
					.build());
	}

	@Bean
	JwtDecoder jwtDecoder() {
		return NimbusJwtDecoder.withSecretKey(secretKey()).build();
	}

	@Bean
	JwtEncoder jwtEncoder() {
		return new NimbusJwtEncoder(new ImmutableSecret<>(secretKey()));
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

	@Bean
	ReportService reportService() {
		return new ReportService();
	}

	private static SecretKey secretKey() {
		return new SecretKeySpec(SECRET, "HmacSHA256");
	}

	@Bean
	ChannelDefinition<Map<String, String>> secureChannel(JwtDecoder jwtDecoder,
			JwtAuthenticationConverter jwtAuthenticationConverter, ReportService reportService) {
		PikkuFunction<Token, Object> authenticate = PikkuFunction.of(Token.class, (input, context) -> {
			Jwt jwt;
			try {
				jwt = jwtDecoder.decode(input.token());
			}
			catch (JwtException ex) {
				throw PikkuException.unauthorized("Invalid token");
			}
			context.setSession(AuthenticationSession.of(jwtAuthenticationConverter.convert(jwt)));
			return Map.of("userId", context.requireSession().userId());
		});
		PikkuFunction<Void, Object> logout = PikkuFunction.of(Void.class, (input, context) -> {
			context.clearSession();
			return Map.of("loggedOut", true);
		});
		PikkuFunction<Void, Object> whoami = PikkuFunction.of(Void.class, (input, context) -> {
			AuthenticationSession session = (AuthenticationSession) context.requireSession();
			return Map.of("userId", session.userId(), "authorities", session.authorities());
		});
		PikkuFunction<Void, Map<String, Integer>> adminOnly = PikkuFunction.builder(Void.class)
			.permission("admins", hasRole("ADMIN"))
			.handler((input, context) -> Map.of("secret", 42))
			.build();
		PermissionCheck ownsTheAccount = (input, context) -> ((Transfer) input).from()
			.equals(context.requireSession().userId());
		PermissionCheck smallAmount = (input, context) -> ((Transfer) input).amount() <= 100;
		PikkuFunction<Transfer, Moved> transfer = PikkuFunction.builder(Transfer.class)
			.permission("owner", ownsTheAccount, smallAmount)
			.permission("admins", hasRole("ADMIN"))
			.handler((input, context) -> new Moved(input.amount(), input.from()))
			.build();
		PikkuFunction<Void, Map<String, Boolean>> guarded = PikkuFunction.builder(Void.class)
			.permission("admins", hasRole("ADMIN"))
			.handler((input, context) -> Map.of("guarded", true))
			.build();
		PikkuFunction<Void, Object> adminReport = PikkuFunction.of(Void.class,
				(input, context) -> reportService.adminReport());
		PikkuFunction<Void, Object> whoamiFromContext = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("inside", contextUser()));
		return ChannelDefinition.builder("secure", "/secure")
			.onConnect((context) -> new Welcome(userId(context), contextUser()))
			.action("authenticate", authenticate, (o) -> o.auth(false))
			.action("logout", logout, (o) -> o.auth(false))
			.action("whoami", whoami)
			.action("adminOnly", adminOnly)
			.action("transfer", transfer)
			.action("guarded", guarded)
			.action("guardedForUsers", guarded, (o) -> o.permission("users", hasRole("USER")))
			.action("adminReport", adminReport)
			.action("whoamiFromContext", whoamiFromContext, (o) -> o.auth(false).middleware(threadContext()))
			.build();
	}

	@Bean
	ChannelDefinition<Map<String, String>> authRequiredChannel() {
		PikkuFunction<Void, Map<String, String>> open = PikkuFunction.builder(Void.class)
			.auth(false)
			.handler((input, context) -> Map.of("userId", userId(context)))
			.build();
		return ChannelDefinition.builder("authRequired", "/auth/required")
			.auth(true)
			.action("wiredOpen", who(), (o) -> o.auth(false))
			.action("functionOpen", open)
			.action("closed", who())
			.build();
	}

	@Bean
	ChannelDefinition<Map<String, String>> authOptionalChannel() {
		PikkuFunction<Void, Map<String, String>> locked = PikkuFunction.builder(Void.class)
			.auth(true)
			.handler((input, context) -> Map.of("userId", userId(context)))
			.build();
		PikkuFunction<Void, Map<String, String>> open = PikkuFunction.builder(Void.class)
			.auth(false)
			.handler((input, context) -> Map.of("userId", userId(context)))
			.build();
		return ChannelDefinition.builder("authOptional", "/auth/optional")
			.auth(false)
			.action("free", who())
			.action("functionLocked", locked)
			.action("functionOpen", open)
			.action("wiredLocked", open, (o) -> o.auth(true))
			.action("wiredOpen", locked, (o) -> o.auth(false))
			.build();
	}

	@Bean
	ChannelDefinition<Map<String, String>> adminsChannel() {
		PikkuFunction<Void, Map<String, String>> forUsers = PikkuFunction.builder(Void.class)
			.permission("users", hasRole("USER"))
			.handler((input, context) -> Map.of("userId", userId(context)))
			.build();
		return ChannelDefinition.builder("admins", "/perm/admins")
			.permission("admins", hasRole("ADMIN"))
			.action("report", who())
			.action("functionForUsers", forUsers)
			.action("wiredForUsers", who(), (o) -> o.permission("users", hasRole("USER")))
			.build();
	}

	/** A function without options that answers who is calling. */
	private static PikkuFunction<Void, Object> who() {
		return PikkuFunction.of(Void.class, (input, context) -> Map.of("userId", userId(context)));
	}

	static String userId(ChannelContext<?> context) {
		PikkuSession session = context.session();
		return (session != null) ? session.userId() : "anonymous";
	}

	/** Who the current thread's {@code SecurityContext} says is calling. */
	static String contextUser() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null) ? authentication.getName() : "none";
	}

	/**
	 * Wire middleware, which runs on the container's thread outside the call's security
	 * scope: adds what the thread's {@code SecurityContext} held before and after the
	 * call.
	 */
	private static PikkuMiddleware threadContext() {
		return (call, next) -> {
			String before = contextUser();
			Object result = next.proceed();
			String after = contextUser();
			Map<String, Object> reply = new LinkedHashMap<>();
			if (result instanceof Map<?, ?> map) {
				map.forEach((key, value) -> reply.put(String.valueOf(key), value));
			}
			reply.put("before", before);
			reply.put("after", after);
			return reply;
		};
	}

	record Token(@NotBlank String token) {
	}

	record Welcome(String userId, String contextUser) {
	}

	record Moved(int moved, String from) {
	}

	record Transfer(@NotBlank String from, @Positive int amount) {
	}

	/** A service guarded by method security, called from a function. */
	@Service
	static class ReportService {

		@PreAuthorize("hasRole('ADMIN')")
		public Map<String, Object> adminReport() {
			return Map.of("report", "for " + contextUser());
		}

	}

}
