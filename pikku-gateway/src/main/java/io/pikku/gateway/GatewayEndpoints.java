package io.pikku.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.OpeningDataException;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.security.HandshakeSessionResolver;
import jakarta.servlet.ServletException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
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

	/** Connection ids as API Gateway makes them, with room to spare. */
	private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_=+/-]{1,128}");

	private final StatelessChannelRuntime runtime;

	private final Settings settings;

	private final HandshakeSessionResolver sessions;

	private final JsonMapper mapper;

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
		this.runtime = runtime;
		this.settings = settings;
		this.sessions = sessions;
		this.mapper = mapper;
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
		Call call = call(request);
		if (call.refused != null) {
			return call.refused;
		}
		Object openingData;
		try {
			openingData = this.runtime.bindOpeningData(call.channel, request.params());
		}
		catch (OpeningDataException ex) {
			return ServerResponse.badRequest().contentType(MediaType.APPLICATION_JSON).body(ex.getBody());
		}
		Principal principal = request.principal().orElse(null);
		PikkuSession session = this.sessions.resolve(principal);
		CompletionStage<ServerResponse> answer = this.runtime
			.connect(call.channelId, call.channel, openingData, session)
			.thenApply((refusal) -> refusal.map((refused) -> {
				ServerResponse.BodyBuilder response = ServerResponse.status(refused.status());
				return (refused.body() != null) ? response.contentType(MediaType.APPLICATION_JSON).body(refused.body())
						: response.build();
			}).orElseGet(() -> ServerResponse.ok().build()));
		return ServerResponse.async(answer);
	}

	ServerResponse message(ServerRequest request) throws ServletException, java.io.IOException {
		Call call = call(request);
		if (call.refused != null) {
			return call.refused;
		}
		boolean routeResponse = this.settings.routeResponse();
		Optional<MediaType> type = request.headers().contentType();
		if (type.isPresent() && MediaType.APPLICATION_OCTET_STREAM.includes(type.get())) {
			return answer(this.runtime.refuseMessage(call.channelId, true, routeResponse));
		}
		byte[] body = request.body(byte[].class);
		if (body.length > this.settings.maxMessageSize()) {
			return answer(this.runtime.refuseMessage(call.channelId, false, routeResponse));
		}
		return answer(this.runtime.message(call.channelId, new String(body, StandardCharsets.UTF_8), routeResponse));
	}

	ServerResponse disconnect(ServerRequest request) {
		Call call = call(request);
		if (call.refused != null) {
			return call.refused;
		}
		return ServerResponse
			.async(this.runtime.disconnect(call.channelId).thenApply((ignored) -> ServerResponse.ok().build()));
	}

	private static ServerResponse answer(CompletionStage<Optional<String>> reply) {
		return ServerResponse.async(reply.thenApply(
				(text) -> text.map((body) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(body))
					.orElseGet(() -> ServerResponse.ok().build())));
	}

	/**
	 * Checks what every integration request carries: the secret, the API, the connection.
	 */
	private Call call(ServerRequest request) {
		String secret = request.headers().firstHeader(this.settings.secretHeader());
		if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), this.secret)) {
			logger.warn("Refused a gateway call to {} without the shared secret", request.path());
			return Call.refused(refusal(HttpStatus.FORBIDDEN, ChannelErrorCodes.FORBIDDEN,
					"Gateway calls must carry the shared secret in " + this.settings.secretHeader()));
		}
		String api = request.pathVariable("api");
		String channel = this.settings.channels().get(api);
		if (channel == null) {
			return Call.refused(
					refusal(HttpStatus.NOT_FOUND, ChannelErrorCodes.NOT_FOUND, "No channel for API '" + api + "'"));
		}
		String connectionId = request.headers().firstHeader(this.settings.connectionIdHeader());
		if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
			return Call.refused(refusal(HttpStatus.BAD_REQUEST, ChannelErrorCodes.VALIDATION_FAILED,
					"Gateway calls must carry the connection id in " + this.settings.connectionIdHeader()));
		}
		return new Call(channel, ApiGatewayConnectionGateway.channelId(api, connectionId), null);
	}

	private ServerResponse refusal(HttpStatus status, String code, String message) {
		ObjectNode body = this.mapper.createObjectNode();
		ObjectNode error = body.putObject("error");
		error.put("code", code);
		error.put("message", message);
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(this.mapper.writeValueAsString(body));
	}

	private record Call(String channel, String channelId, @Nullable ServerResponse refused) {

		static Call refused(ServerResponse response) {
			return new Call("", "", response);
		}

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
