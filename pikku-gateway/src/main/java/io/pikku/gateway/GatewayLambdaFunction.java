package io.pikku.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's events as an AWS Lambda function, for WebSocket APIs whose routes have a
 * Lambda proxy integration: deployed with Spring Cloud Function's
 * {@code org.springframework.cloud.function.adapter.aws.FunctionInvoker} as the handler.
 * It answers as {@link GatewayEndpoints} does, through the same {@link GatewayEvents}:
 * the route key {@code $connect} connects (opening data from the query string parameters,
 * 400 with the error when they do not bind, {@code onConnect}'s refusal with its status),
 * {@code $disconnect} forgets the connection (quietly, however often), and any other
 * route is a message (the reply as the route response; a base64-encoded body is binary
 * and answers {@code unsupported_frame}; over the limit, {@code too_large}).
 *
 * <p>
 * The API of an event is found by its {@code requestContext.apiId}. There is no shared
 * secret on this path: only API Gateway can invoke the function, through the Lambda
 * permission (IAM) that the integration grants it. The session at {@code $connect} comes
 * from a Lambda authorizer, if the route has one: its {@code principalId} becomes
 * {@code PikkuSession.of(principalId)}; without an authorizer the connection starts
 * without a session (an action may still log in with {@code setSession}).
 *
 * <p>
 * Lambda freezes the execution environment once the function returns, so a message or
 * disconnect event returns only when the posts and store writes it started are done
 * ({@link io.pikku.channel.runtime.StatelessChannelRuntime#settled()}). What
 * {@code onConnect} sends cannot be posted before {@code $connect} has answered (the
 * gateway has the connection only then): it is posted when this environment runs again,
 * so a client should not count on it arriving promptly.
 */
public final class GatewayLambdaFunction
		implements Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

	private static final Logger logger = LoggerFactory.getLogger(GatewayLambdaFunction.class);

	private static final String CONNECT = "$connect";

	private static final String DISCONNECT = "$disconnect";

	private final GatewayEvents events;

	private final Map<String, String> apis;

	/**
	 * A function answering the events of some APIs.
	 * @param events how events are answered
	 * @param apisById the name of each API (a key of {@code pikku.gateway.apis}), by the
	 * id API Gateway gives it
	 */
	public GatewayLambdaFunction(GatewayEvents events, Map<String, String> apisById) {
		this.events = events;
		this.apis = new LinkedHashMap<>(apisById);
	}

	@Override
	public APIGatewayV2WebSocketResponse apply(APIGatewayV2WebSocketEvent event) {
		APIGatewayV2WebSocketEvent.RequestContext context = event.getRequestContext();
		if (context == null || context.getRouteKey() == null) {
			return response(this.events.refusal(400, ChannelErrorCodes.VALIDATION_FAILED,
					"Not an API Gateway WebSocket event: it has no requestContext.routeKey"));
		}
		String apiId = context.getApiId();
		String api = (apiId != null) ? this.apis.get(apiId) : null;
		if (api == null) {
			logger.warn(
					"Refused a {} event of API id '{}', which no API has; the APIs are {} "
							+ "(pikku.gateway.apis.<name>.api-id, or an execute-api endpoint)",
					context.getRouteKey(), apiId, this.apis);
			return response(
					this.events.refusal(404, ChannelErrorCodes.NOT_FOUND, "No channel for API id '" + apiId + "'"));
		}
		GatewayEvents.Call call = this.events.call(api, context.getConnectionId(), "requestContext.connectionId");
		if (call.refused() != null) {
			return response(call.refused());
		}
		return switch (context.getRouteKey()) {
			case CONNECT -> response(await(this.events.connect(call, queryParameters(event), () -> session(context))));
			case DISCONNECT -> response(settled(await(this.events.disconnect(call))));
			default -> response(settled(await(message(event, call))));
		};
	}

	private CompletionStage<GatewayEvents.Answer> message(APIGatewayV2WebSocketEvent event, GatewayEvents.Call call) {
		if (event.isIsBase64Encoded()) {
			return this.events.binaryMessage(call);
		}
		String body = event.getBody();
		return this.events.message(call, (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0]);
	}

	/** The multi-value parameters when the event has them (they hold every value). */
	private static Map<String, List<String>> queryParameters(APIGatewayV2WebSocketEvent event) {
		Map<String, List<String>> multiValue = event.getMultiValueQueryStringParameters();
		if (multiValue != null) {
			return multiValue;
		}
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		Map<String, String> single = event.getQueryStringParameters();
		if (single != null) {
			single.forEach((name, value) -> parameters.put(name, List.of(value)));
		}
		return parameters;
	}

	private static @Nullable PikkuSession session(APIGatewayV2WebSocketEvent.RequestContext context) {
		Map<String, Object> authorizer = context.getAuthorizer();
		Object principal = (authorizer != null) ? authorizer.get("principalId") : null;
		return (principal != null && !principal.toString().isBlank()) ? PikkuSession.of(principal.toString()) : null;
	}

	/** Waits for what the event started, before Lambda may freeze the environment. */
	private GatewayEvents.Answer settled(GatewayEvents.Answer answer) {
		await(this.events.runtime().settled());
		return answer;
	}

	private static <T> T await(CompletionStage<T> stage) {
		try {
			return stage.toCompletableFuture().join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	private static APIGatewayV2WebSocketResponse response(GatewayEvents.Answer answer) {
		APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
		response.setStatusCode(answer.status());
		if (answer.body() != null) {
			response.setBody(answer.body());
			response.setHeaders(Map.of("Content-Type", "application/json"));
		}
		return response;
	}

}
