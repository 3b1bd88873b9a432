package io.pikku.sample.security;

/**
 * The reply to an in-band login.
 *
 * @param authenticated always true
 * @param userId who is now logged in on the connection
 */
public record Authenticated(boolean authenticated, String userId) {
}
