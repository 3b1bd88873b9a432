/**
 * Channels behind AWS API Gateway WebSocket APIs: the HTTP integration endpoints and the
 * management-API client.
 */
@NullMarked
package io.pikku.gateway;

import org.jspecify.annotations.NullMarked;
