/**
 * Auto-configuration of the reactive transport.
 */
@NullMarked
package io.pikku.autoconfigure.web.reactive.socket;

import org.jspecify.annotations.NullMarked;
