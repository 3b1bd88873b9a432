/**
 * Auto-configuration of the reactive transport.
 */
@NullMarked
package io.pikku.autoconfigure.web.reactive;

import org.jspecify.annotations.NullMarked;
