package io.pikku.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import jakarta.servlet.ServletException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The endpoints the gateway's HTTP integrations call, one set per API:
 * {@code {path}/{api}/connect} ({@code $connect}, GET or POST, with the mapped query
 * parameters and {@code Authorization} header), {@code {path}/{api}/message}
 * ({@code $default}, the message as the body) and {@code {path}/{api}/disconnect}
 * ({@code $disconnect}). Every request must carry the shared secret and the connection id
 * in the mapped headers; refusals use the structured error shape.
 */
public final class GatewayEndpoints {

	private static final Logger logger = LoggerFactory.getLogger(GatewayEndpoints.class);

	private final Settings settings;

	private final HandshakeSessionResolver sessions;

	private final GatewayEvents events;

	private final byte[] secret;

	/**
	 * Endpoints for a runtime.
	 * @param runtime the runtime
	 * @param settings how the gateway calls
	 * @param sessions turns the authenticated connect request into the session
	 * @param mapper writes refusals
	 */
	public GatewayEndpoints(StatelessChannelRuntime runtime, Settings settings, HandshakeSessionResolver sessions,
			JsonMapper mapper) {
		this.settings = settings;
		this.sessions = sessions;
		this.events = new GatewayEvents(runtime, settings.channels(), settings.routeResponse(),
				settings.maxMessageSize(), mapper);
		this.secret = settings.secret().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The routes.
	 * @return the router function
	 */
	public RouterFunction<ServerResponse> routes() {
		String path = this.settings.path();
		return RouterFunctions.route()
			.GET(path + "/{api}/connect", this::connect)
			.POST(path + "/{api}/connect", this::connect)
			.POST(path + "/{api}/message", this::message)
			.POST(path + "/{api}/disconnect", this::disconnect)
			.build();
	}

	ServerResponse connect(ServerRequest request) {
		GatewayEvents.Call call = call(request);
		if (call.refused() != null) {
			return response(call.refused());
		}
		return answer(this.events.connect(call, request.params(),
				() -> this.sessions.resolve(request.principal().orElse(null))));
	}

	ServerResponse message(ServerRequest request) throws ServletException, java.io.IOException {
		GatewayEvents.Call call = call(request);
		if (call.refused() != null) {
			return response(call.refused());
		}
		Optional<MediaType> type = request.headers().contentType();
		if (type.isPresent() && MediaType.APPLICATION_OCTET_STREAM.includes(type.get())) {
			return answer(this.events.binaryMessage(call));
		}
		return answer(this.events.message(call, request.body(byte[].class)));
	}

	ServerResponse disconnect(ServerRequest request) {
		GatewayEvents.Call call = call(request);
		if (call.refused() != null) {
			return response(call.refused());
		}
		return answer(this.events.disconnect(call));
	}

	private static ServerResponse answer(CompletionStage<GatewayEvents.Answer> answer) {
		return ServerResponse.async(answer.thenApply(GatewayEndpoints::response));
	}

	private static ServerResponse response(GatewayEvents.Answer answer) {
		ServerResponse.BodyBuilder response = ServerResponse.status(answer.status());
		return (answer.body() != null) ? response.contentType(MediaType.APPLICATION_JSON).body(answer.body())
				: response.build();
	}

	/**
	 * Checks what every integration request carries: the secret, the API, the connection.
	 */
	private GatewayEvents.Call call(ServerRequest request) {
		String secret = request.headers().firstHeader(this.settings.secretHeader());
		if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), this.secret)) {
			logger.warn("Refused a gateway call to {} without the shared secret", request.path());
			return GatewayEvents.Call.refused(this.events.refusal(403, ChannelErrorCodes.FORBIDDEN,
					"Gateway calls must carry the shared secret in " + this.settings.secretHeader()));
		}
		return this.events.call(request.pathVariable("api"),
				request.headers().firstHeader(this.settings.connectionIdHeader()), this.settings.connectionIdHeader());
	}

	/**
	 * How the gateway calls the application.
	 *
	 * @param path the base path of the endpoints
	 * @param secret the shared secret
	 * @param secretHeader the header that carries it
	 * @param connectionIdHeader the header that carries the connection id
	 * @param channels the channel of each API, by API name
	 * @param routeResponse whether replies go as route responses (else they are posted)
	 * @param maxMessageSize the largest message accepted, in bytes
	 */
	public record Settings(String path, String secret, String secretHeader, String connectionIdHeader,
			Map<String, String> channels, boolean routeResponse, int maxMessageSize) {

		public Settings {
			if (secret == null || secret.isBlank()) {
				throw new IllegalArgumentException("The gateway secret must not be blank");
			}
			channels = new LinkedHashMap<>(channels);
		}

		/**
		 * The APIs.
		 * @return the API names
		 */
		public List<String> apis() {
			return List.copyOf(this.channels.keySet());
		}

	}

}
