package io.pikku.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.pikku.channel.runtime.ConnectionGateway;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;

/**
 * The {@link ConnectionGateway} of AWS API Gateway WebSocket APIs, on the management API
 * ({@code POST}, {@code GET} and {@code DELETE /@connections/{id}}, IAM
 * {@code execute-api:ManageConnections}). Each API has its own management endpoint, so
 * there is one client per API, and the runtime's channel ids are the gateway's connection
 * ids qualified by the API ({@code chat:L0SM9cOFvHcCIhw=}). A 410 means gone whether or
 * not the SDK maps it to its {@code GoneException}.
 */
public final class ApiGatewayConnectionGateway implements ConnectionGateway {

	private final Map<String, ApiGatewayManagementApiAsyncClient> clients;

	/**
	 * A gateway with one management client per API.
	 * @param clients the clients by API name
	 */
	public ApiGatewayConnectionGateway(Map<String, ApiGatewayManagementApiAsyncClient> clients) {
		this.clients = Map.copyOf(clients);
	}

	/**
	 * Closes the clients.
	 */
	public void shutdown() {
		this.clients.values().forEach(ApiGatewayManagementApiAsyncClient::close);
	}

	/**
	 * The channel id of a gateway connection of an API.
	 * @param api the API name
	 * @param connectionId the gateway's connection id
	 * @return the channel id
	 */
	public static String channelId(String api, String connectionId) {
		return api + ":" + connectionId;
	}

	@Override
	public CompletionStage<Void> post(String channelId, String text) {
		return call(channelId, (target) -> target.client()
			.postToConnection(
					(request) -> request.connectionId(target.connectionId()).data(SdkBytes.fromUtf8String(text)))
			.handle((response, failure) -> {
				if (failure == null) {
					return null;
				}
				throw isGone(failure) ? new GoneException(channelId) : rethrown(failure);
			}));
	}

	@Override
	public CompletionStage<Void> close(String channelId) {
		return call(channelId,
				(target) -> target.client()
					.deleteConnection((request) -> request.connectionId(target.connectionId()))
					.handle((response, failure) -> {
						if (failure != null && !isGone(failure)) {
							throw rethrown(failure);
						}
						return null;
					}));
	}

	@Override
	public CompletionStage<Optional<Info>> info(String channelId) {
		return call(channelId,
				(target) -> target.client()
					.getConnection((request) -> request.connectionId(target.connectionId()))
					.handle((response, failure) -> {
						if (failure == null) {
							return Optional.of(info(response));
						}
						if (isGone(failure)) {
							return Optional.<Info>empty();
						}
						throw rethrown(failure);
					}));
	}

	/**
	 * Calls the management API of a connection's API, or fails (never throws) when none
	 * is configured for it.
	 */
	private <T> CompletionStage<T> call(String channelId, Function<Target, CompletionStage<T>> call) {
		Target target;
		try {
			target = target(channelId);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return call.apply(target);
	}

	private static CompletionException rethrown(Throwable failure) {
		return (failure instanceof CompletionException completion) ? completion : new CompletionException(failure);
	}

	private static Info info(GetConnectionResponse response) {
		return new Info(response.connectedAt(), response.lastActiveAt(),
				(response.identity() != null) ? response.identity().sourceIp() : null);
	}

	static boolean isGone(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
		return cause instanceof AwsServiceException service && service.statusCode() == 410;
	}

	private Target target(String channelId) {
		int colon = channelId.indexOf(':');
		String api = (colon > 0) ? channelId.substring(0, colon) : "";
		ApiGatewayManagementApiAsyncClient client = this.clients.get(api);
		if (client == null) {
			throw new IllegalArgumentException("No management endpoint for the API of connection " + channelId
					+ ": configure pikku.gateway.apis." + api + ".endpoint");
		}
		return new Target(client, channelId.substring(colon + 1));
	}

	private record Target(ApiGatewayManagementApiAsyncClient client, String connectionId) {
	}

}
