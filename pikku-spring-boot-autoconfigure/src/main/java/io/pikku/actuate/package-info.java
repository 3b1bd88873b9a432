/**
 * The {@code pikku} actuator endpoint.
 */
@NullMarked
package io.pikku.actuate;

import org.jspecify.annotations.NullMarked;
