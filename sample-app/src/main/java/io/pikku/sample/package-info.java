/**
 * The sample application.
 */
@NullMarked
package io.pikku.sample;

import org.jspecify.annotations.NullMarked;
