package io.pikku.sample.security;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/login}: a username and password in, a signed token out.
 */
@RestController
public class LoginController {

	private final AuthenticationManager authenticationManager;

	private final TokenService tokens;

	public LoginController(AuthenticationManager authenticationManager, TokenService tokens) {
		this.authenticationManager = authenticationManager;
		this.tokens = tokens;
	}

	@PostMapping("/api/login")
	ResponseEntity<Map<String, String>> login(@Valid @RequestBody Credentials credentials) {
		try {
			Authentication authentication = this.authenticationManager.authenticate(UsernamePasswordAuthenticationToken
				.unauthenticated(credentials.username(), credentials.password()));
			return ResponseEntity.ok(Map.of("token", this.tokens.issue(authentication)));
		}
		catch (AuthenticationException ex) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "Wrong username or password"));
		}
	}

	/**
	 * A login request.
	 *
	 * @param username the user name
	 * @param password the password
	 */
	record Credentials(@NotBlank String username, @NotBlank String password) {
	}

}
