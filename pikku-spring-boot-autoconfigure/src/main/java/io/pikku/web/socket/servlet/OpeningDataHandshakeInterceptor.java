package io.pikku.web.socket.servlet;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpeningDataException;
import io.pikku.channel.runtime.QueryParameters;
import io.pikku.channel.runtime.RouteTemplate;
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

	private final ChannelRuntime runtime;

	private final String channelName;

	private final RouteTemplate route;

	private final BooleanSupplier accepting;

	OpeningDataHandshakeInterceptor(ChannelRuntime runtime, String channelName, BooleanSupplier accepting) {
		this.runtime = runtime;
		this.accepting = accepting;
		this.channelName = channelName;
		this.route = RouteTemplate.parse(runtime.definition(channelName).route());
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		if (!this.accepting.getAsBoolean()) {
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return false;
		}
		Map<String, String> pathVariables = this.route.match(pathWithinApplication(request));
		if (pathVariables == null) {
			response.setStatusCode(HttpStatus.NOT_FOUND);
			return false;
		}
		try {
			attributes.put(OPENING_DATA_ATTRIBUTE, this.runtime.bindOpeningData(this.channelName, pathVariables,
					QueryParameters.parse(request.getURI().getRawQuery())));
			return true;
		}
		catch (OpeningDataException ex) {
			response.setStatusCode(HttpStatus.BAD_REQUEST);
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			response.getBody().write(ex.getBody().getBytes(StandardCharsets.UTF_8));
			return false;
		}
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
