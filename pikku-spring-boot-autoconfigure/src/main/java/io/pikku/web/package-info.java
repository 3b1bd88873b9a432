/**
 * What the channel transports of every web stack share: settings and lifecycle.
 */
@NullMarked
package io.pikku.web;

import org.jspecify.annotations.NullMarked;
