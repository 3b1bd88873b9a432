package io.pikku.security;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link MiddlewareIntegrationTests} on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveMiddlewareIntegrationTests extends MiddlewareIntegrationTests {

}
