/**
 * The gateway runtime's channel store and EventHub subscriptions in Redis, shared by
 * every instance.
 */
@NullMarked
package io.pikku.gateway.redis;

import org.jspecify.annotations.NullMarked;
