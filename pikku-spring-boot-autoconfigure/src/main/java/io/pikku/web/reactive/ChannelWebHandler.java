package io.pikku.web.reactive;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Optional;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.web.ChannelUpgrade;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * The handler of one channel route: answers an upgrade request as the servlet transport
 * does (403 for a foreign origin, 503 when full or shutting down, 404 for a path the
 * route does not match, 400 with the errors for bad opening data), then upgrades it and
 * serves the channel.
 */
final class ChannelWebHandler implements WebHandler {

	private final String channelName;

	private final ChannelUpgrade upgrade;

	private final ReactiveChannelTransport transport;

	private final CorsConfiguration origins = new CorsConfiguration();

	ChannelWebHandler(ChannelRuntime runtime, String channelName, ReactiveChannelTransport transport) {
		this.channelName = channelName;
		this.upgrade = new ChannelUpgrade(runtime, channelName, transport::accepting);
		this.transport = transport;
		this.origins.setAllowedOriginPatterns(transport.settings().allowedOriginPatterns());
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		ServerHttpResponse response = exchange.getResponse();
		if (CorsUtils.isCorsRequest(request) && this.origins.checkOrigin(request.getHeaders().getOrigin()) == null) {
			response.setStatusCode(HttpStatus.FORBIDDEN);
			return response.setComplete();
		}
		ChannelUpgrade.Decision decision = this.upgrade.decide(request.getPath().pathWithinApplication().value(),
				request.getQueryParams());
		if (!decision.upgrades()) {
			response.setStatusCode(HttpStatus.valueOf(decision.status()));
			if (decision.body() == null) {
				return response.setComplete();
			}
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			DataBuffer body = response.bufferFactory().wrap(decision.body().getBytes(StandardCharsets.UTF_8));
			return response.writeWith(Mono.just(body));
		}
		Object openingData = decision.openingData();
		return exchange.getPrincipal()
			.map(Optional::<Principal>of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((principal) -> this.transport.webSocketService()
				.handleRequest(exchange, (session) -> this.transport.serve(session, this.channelName, openingData,
						principal.orElse(null))));
	}

}
