package io.pikku.web.servlet;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.pikku.channel.runtime.QueryParameters;
import io.pikku.web.ChannelUpgrade;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Binds and validates a channel's opening data before the upgrade, so that bad opening
 * data refuses the upgrade with HTTP 400 and never opens a half-valid channel.
 */
final class OpeningDataHandshakeInterceptor implements HandshakeInterceptor {

	static final String OPENING_DATA_ATTRIBUTE = OpeningDataHandshakeInterceptor.class.getName() + ".openingData";

	private final ChannelUpgrade upgrade;

	OpeningDataHandshakeInterceptor(ChannelUpgrade upgrade) {
		this.upgrade = upgrade;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		ChannelUpgrade.Decision decision = this.upgrade.decide(pathWithinApplication(request),
				QueryParameters.parse(request.getURI().getRawQuery()));
		if (decision.upgrades()) {
			attributes.put(OPENING_DATA_ATTRIBUTE, decision.openingData());
			return true;
		}
		response.setStatusCode(HttpStatus.valueOf(decision.status()));
		if (decision.body() != null) {
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			response.getBody().write(decision.body().getBytes(StandardCharsets.UTF_8));
		}
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	private static String pathWithinApplication(ServerHttpRequest request) {
		String path = request.getURI().getRawPath();
		if (request instanceof ServletServerHttpRequest servletRequest) {
			String contextPath = servletRequest.getServletRequest().getContextPath();
			if (!contextPath.isEmpty() && path.startsWith(contextPath)) {
				return path.substring(contextPath.length());
			}
		}
		return path;
	}

}
