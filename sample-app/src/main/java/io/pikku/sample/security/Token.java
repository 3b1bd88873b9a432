package io.pikku.sample.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The input of the in-band {@code authenticate} and {@code auth} actions.
 *
 * @param token a token from {@code /api/login}
 */
public record Token(@NotBlank @Size(max = 4096) String token) {
}
