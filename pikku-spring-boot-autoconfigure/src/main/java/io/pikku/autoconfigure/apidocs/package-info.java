/**
 * Auto-configuration of the channels' API description and its HTTP endpoint.
 */
@NullMarked
package io.pikku.autoconfigure.apidocs;

import org.jspecify.annotations.NullMarked;
