/**
 * Auto-configuration of the Spring Security bridge.
 */
@NullMarked
package io.pikku.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
