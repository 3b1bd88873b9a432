/**
 * Auto-configuration of Pikku's Micrometer metrics.
 */
@NullMarked
package io.pikku.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
