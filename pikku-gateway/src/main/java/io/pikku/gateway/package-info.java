/**
 * Channels behind AWS API Gateway WebSocket APIs: the entry points (the HTTP
 * integration's endpoints and the Lambda function, which share {@link GatewayEvents}) and
 * the management-API client.
 */
@NullMarked
package io.pikku.gateway;

import org.jspecify.annotations.NullMarked;
