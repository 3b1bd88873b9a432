package io.pikku.gateway;

import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiAsyncClientBuilder;

/**
 * Customizes the management-API client of each API before it is built, e.g. its
 * credentials provider, HTTP client or retry strategy. Declare it as a bean.
 */
@FunctionalInterface
public interface GatewayClientCustomizer {

	/**
	 * Customizes one API's client.
	 * @param api the API name
	 * @param builder the client's builder, with the endpoint and region already set
	 */
	void customize(String api, ApiGatewayManagementApiAsyncClientBuilder builder);

}
