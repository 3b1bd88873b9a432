/**
 * Auto-configuration of the API Gateway runtime.
 */
@NullMarked
package io.pikku.autoconfigure.gateway;

import org.jspecify.annotations.NullMarked;
