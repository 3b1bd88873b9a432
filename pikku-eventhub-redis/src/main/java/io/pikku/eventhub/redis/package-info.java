/**
 * The Redis EventHub: pub/sub across instances on Redis, with topic membership in Redis
 * for presence.
 */
@NullMarked
package io.pikku.eventhub.redis;

import org.jspecify.annotations.NullMarked;
