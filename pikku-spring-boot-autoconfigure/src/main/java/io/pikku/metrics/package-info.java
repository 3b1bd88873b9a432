/**
 * Micrometer metrics of Pikku channels.
 */
@NullMarked
package io.pikku.metrics;

import org.jspecify.annotations.NullMarked;
