/**
 * The channel store: what is known of each open connection, in memory or shared between
 * instances.
 */
@NullMarked
package io.pikku.store;

import org.jspecify.annotations.NullMarked;
