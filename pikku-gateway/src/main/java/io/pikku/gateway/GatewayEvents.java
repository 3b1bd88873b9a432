package io.pikku.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.OpeningDataException;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's three events ({@code $connect}, a message, {@code $disconnect}) as every
 * entry point answers them, whatever carries them: the HTTP integration
 * ({@link GatewayEndpoints}) or a Lambda invocation ({@link GatewayLambdaFunction}). Each
 * answer is a status and an optional JSON body, refusals in the structured error shape.
 * Checking who calls (the shared secret, IAM) is the entry point's business.
 */
public final class GatewayEvents {

	/** Connection ids as API Gateway makes them, with room to spare. */
	private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_=+/-]{1,128}");

	private final StatelessChannelRuntime runtime;

	private final Map<String, String> channels;

	private final boolean routeResponse;

	private final int maxMessageSize;

	private final JsonMapper mapper;

	/**
	 * The events of a runtime.
	 * @param runtime the runtime
	 * @param channels the channel of each API, by API name
	 * @param routeResponse whether replies go as route responses (else they are posted)
	 * @param maxMessageSize the largest message accepted, in bytes
	 * @param mapper writes refusals
	 */
	public GatewayEvents(StatelessChannelRuntime runtime, Map<String, String> channels, boolean routeResponse,
			int maxMessageSize, JsonMapper mapper) {
		this.runtime = runtime;
		this.channels = new LinkedHashMap<>(channels);
		this.routeResponse = routeResponse;
		this.maxMessageSize = maxMessageSize;
		this.mapper = mapper;
	}

	/**
	 * The runtime the events run on.
	 * @return the runtime
	 */
	public StatelessChannelRuntime runtime() {
		return this.runtime;
	}

	/**
	 * Finds what an event is for: the channel of its API and its connection.
	 * @param api the API name
	 * @param connectionId the gateway's connection id, if the event carried one
	 * @param connectionIdSource where the connection id should have been, for the error
	 * @return the call, or its refusal (404 for an unknown API, 400 for a missing or
	 * malformed connection id)
	 */
	public Call call(String api, @Nullable String connectionId, String connectionIdSource) {
		String channel = this.channels.get(api);
		if (channel == null) {
			return Call.refused(refusal(404, ChannelErrorCodes.NOT_FOUND, "No channel for API '" + api + "'"));
		}
		if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
			return Call.refused(refusal(400, ChannelErrorCodes.VALIDATION_FAILED,
					"Gateway calls must carry the connection id in " + connectionIdSource));
		}
		return new Call(channel, ApiGatewayConnectionGateway.channelId(api, connectionId), null);
	}

	/**
	 * {@code $connect}: binds the opening data (400 with the validation error when it
	 * does not bind), then runs the channel's {@code onConnect} (its refusal answers with
	 * its status and error).
	 * @param call the call, not refused
	 * @param queryParameters the query parameters of the connect request
	 * @param session the session of the connect request, resolved once the opening data
	 * bound
	 * @return 200, or the refusal
	 */
	public CompletionStage<Answer> connect(Call call, Map<String, List<String>> queryParameters,
			Supplier<@Nullable PikkuSession> session) {
		Object openingData;
		try {
			openingData = this.runtime.bindOpeningData(call.channel(), queryParameters);
		}
		catch (OpeningDataException ex) {
			return CompletableFuture.completedFuture(new Answer(400, ex.getBody()));
		}
		return this.runtime.connect(call.channelId(), call.channel(), openingData, session.get())
			.thenApply((refusal) -> refusal.map((refused) -> new Answer(refused.status(), refused.body()))
				.orElse(Answer.OK));
	}

	/**
	 * A text message: answered by the runtime, or {@code too_large} over the limit.
	 * @param call the call, not refused
	 * @param utf8 the message, in UTF-8
	 * @return 200, with the route response if there is one
	 */
	public CompletionStage<Answer> message(Call call, byte[] utf8) {
		if (utf8.length > this.maxMessageSize) {
			return answer(this.runtime.refuseMessage(call.channelId(), false, this.routeResponse));
		}
		return answer(
				this.runtime.message(call.channelId(), new String(utf8, StandardCharsets.UTF_8), this.routeResponse));
	}

	/**
	 * A binary message: answered {@code unsupported_frame}.
	 * @param call the call, not refused
	 * @return 200, with the route response if there is one
	 */
	public CompletionStage<Answer> binaryMessage(Call call) {
		return answer(this.runtime.refuseMessage(call.channelId(), true, this.routeResponse));
	}

	/**
	 * {@code $disconnect}: forgets the connection; a repeated one is a quiet no-op.
	 * @param call the call, not refused
	 * @return 200
	 */
	public CompletionStage<Answer> disconnect(Call call) {
		return this.runtime.disconnect(call.channelId()).thenApply((ignored) -> Answer.OK);
	}

	/**
	 * A refusal in the structured error shape.
	 * @param status the HTTP status
	 * @param code the error code
	 * @param message the message
	 * @return the answer
	 */
	public Answer refusal(int status, String code, String message) {
		ObjectNode body = this.mapper.createObjectNode();
		ObjectNode error = body.putObject("error");
		error.put("code", code);
		error.put("message", message);
		return new Answer(status, this.mapper.writeValueAsString(body));
	}

	private static CompletionStage<Answer> answer(CompletionStage<Optional<String>> reply) {
		return reply.thenApply((text) -> text.map((body) -> new Answer(200, body)).orElse(Answer.OK));
	}

	/**
	 * What an event is for, or why it is refused.
	 *
	 * @param channel the channel of the event's API
	 * @param channelId the connection's channel id ({@code api:connectionId})
	 * @param refused the refusal, or {@code null} if the event goes on
	 */
	public record Call(String channel, String channelId, @Nullable Answer refused) {

		static Call refused(Answer refusal) {
			return new Call("", "", refusal);
		}

	}

	/**
	 * The answer to an event.
	 *
	 * @param status the HTTP status
	 * @param body the JSON body (a route response or an error), or {@code null}
	 */
	public record Answer(int status, @Nullable String body) {

		/** 200 without a body. */
		public static final Answer OK = new Answer(200, null);

	}

}
