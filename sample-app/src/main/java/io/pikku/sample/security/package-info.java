/**
 * Sign-in: demo users, JWTs from /api/login, and the HTTP security of the channels.
 */
@NullMarked
package io.pikku.sample.security;

import org.jspecify.annotations.NullMarked;
