/**
 * Auto-configuration of the observation of Pikku calls.
 */
@NullMarked
package io.pikku.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
