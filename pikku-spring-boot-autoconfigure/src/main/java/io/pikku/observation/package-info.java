/**
 * Micrometer Observation of Pikku calls, for tracing.
 */
@NullMarked
package io.pikku.observation;

import org.jspecify.annotations.NullMarked;
