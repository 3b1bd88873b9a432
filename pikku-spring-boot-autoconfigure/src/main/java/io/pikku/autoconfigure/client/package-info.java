/**
 * Auto-configuration of the Pikku Java client's builder.
 */
@NullMarked
package io.pikku.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
