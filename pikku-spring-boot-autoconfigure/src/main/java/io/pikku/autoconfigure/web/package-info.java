/**
 * What the auto-configurations of the servlet and reactive transports share.
 */
@NullMarked
package io.pikku.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
