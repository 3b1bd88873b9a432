/**
 * The {@code echo} channel: answers what it is sent.
 */
@NullMarked
package io.pikku.sample.echo;

import org.jspecify.annotations.NullMarked;
