/**
 * The Redis channel store: connection records shared by every instance.
 */
@NullMarked
package io.pikku.store.redis;

import org.jspecify.annotations.NullMarked;
