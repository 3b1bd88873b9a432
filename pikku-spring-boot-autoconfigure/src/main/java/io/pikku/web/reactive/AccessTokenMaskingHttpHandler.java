package io.pikku.web.reactive;

import java.net.URI;

import io.pikku.web.AccessTokenMasking;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Keeps {@code access_token} out of WebFlux's logs: WebFlux logs each request's URL
 * before any filter runs, so this handler (around WebFlux's) hands it a request whose URL
 * is masked; {@link #restoring()}, the first web filter, gives Spring Security the real
 * URL back, and {@link #masking()}, right after Spring Security, masks it again for the
 * channel and the WebSocket session.
 */
public final class AccessTokenMaskingHttpHandler implements HttpHandler {

	private final HttpHandler delegate;

	/**
	 * Wraps a handler.
	 * @param delegate WebFlux's handler
	 */
	public AccessTokenMaskingHttpHandler(HttpHandler delegate) {
		this.delegate = delegate;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		return this.delegate.handle(masked(request), response);
	}

	/**
	 * A filter that gives the request its real URL back, to run before Spring Security.
	 * @return the filter
	 */
	public static WebFilter restoring() {
		return (exchange, chain) -> (exchange.getRequest() instanceof MaskedRequest masked)
				? chain.filter(exchange.mutate().request(masked.getDelegate()).build()) : chain.filter(exchange);
	}

	/**
	 * A filter that masks the request's URL again, to run after Spring Security.
	 * @return the filter
	 */
	public static WebFilter masking() {
		return AccessTokenMaskingHttpHandler::mask;
	}

	private static Mono<Void> mask(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = masked(exchange.getRequest());
		return (request != exchange.getRequest()) ? chain.filter(exchange.mutate().request(request).build())
				: chain.filter(exchange);
	}

	private static ServerHttpRequest masked(ServerHttpRequest request) {
		if (request instanceof MaskedRequest || !AccessTokenMasking.needsMasking(request.getURI().getRawQuery())) {
			return request;
		}
		return new MaskedRequest(request);
	}

	/** A request whose URL shows {@code access_token=***}. */
	static final class MaskedRequest extends ServerHttpRequestDecorator {

		private final URI uri;

		MaskedRequest(ServerHttpRequest delegate) {
			super(delegate);
			URI original = delegate.getURI();
			this.uri = UriComponentsBuilder.fromUri(original)
				.replaceQuery(AccessTokenMasking.mask(original.getRawQuery()))
				.build(true)
				.toUri();
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

	}

}
