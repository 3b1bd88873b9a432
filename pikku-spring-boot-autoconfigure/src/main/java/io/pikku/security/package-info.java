/**
 * The Spring Security bridge: sessions from an {@code Authentication}, the
 * {@code SecurityContext} during calls, and permission checks from Spring Security.
 */
@NullMarked
package io.pikku.security;

import org.jspecify.annotations.NullMarked;
