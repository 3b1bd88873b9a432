/**
 * Pikku's EventHub: topic pub/sub between channels, in one process or, through another
 * implementation, across instances.
 */
@NullMarked
package io.pikku.eventhub;

import org.jspecify.annotations.NullMarked;
