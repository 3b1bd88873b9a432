/**
 * Auto-configuration of the {@code pikku} actuator endpoint.
 */
@NullMarked
package io.pikku.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
