/**
 * The reactive transport: Pikku channels on Spring WebFlux's WebSocket support (Reactor
 * Netty).
 */
@NullMarked
package io.pikku.web.reactive;

import org.jspecify.annotations.NullMarked;
