/**
 * Auto-configuration of the Pikku channel runtime and its {@code pikku.*} properties.
 */
@NullMarked
package io.pikku.autoconfigure;

import org.jspecify.annotations.NullMarked;
