/**
 * Auto-configuration of the Redis EventHub and channel store.
 */
@NullMarked
package io.pikku.autoconfigure.eventhub.redis;

import org.jspecify.annotations.NullMarked;
