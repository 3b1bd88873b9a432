package io.pikku.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.pikku.channel.ChannelErrorCodes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Refuses a gateway call whose credential Spring Security rejected (a bad bearer token or
 * {@code access_token} at {@code $connect}) with 401 in the channels' error shape, so
 * that the refused upgrade carries the same body as every other refusal. Use it for the
 * integration paths, e.g. with a {@code DelegatingAuthenticationEntryPoint}:
 *
 * <pre class="code">
 * resourceServer.authenticationEntryPoint(new DelegatingAuthenticationEntryPoint(
 *         new BearerTokenAuthenticationEntryPoint(),
 *         new RequestMatcherEntry&lt;&gt;(PathPatternRequestMatcher.pathPattern("/pikku/gateway/**"),
 *                 new GatewayAuthenticationEntryPoint())));
 * </pre>
 */
public final class GatewayAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private static final String BODY = "{\"error\":{\"code\":\"" + ChannelErrorCodes.UNAUTHORIZED
			+ "\",\"message\":\"The credential was refused\"}}";

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Bearer");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(BODY.getBytes(StandardCharsets.UTF_8));
	}

}
