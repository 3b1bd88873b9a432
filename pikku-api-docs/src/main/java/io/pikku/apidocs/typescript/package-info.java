/**
 * A typed TypeScript client of the channels, generated from an
 * {@link io.pikku.apidocs.ApiDescription} without Node.
 */
@NullMarked
package io.pikku.apidocs.typescript;

import org.jspecify.annotations.NullMarked;
