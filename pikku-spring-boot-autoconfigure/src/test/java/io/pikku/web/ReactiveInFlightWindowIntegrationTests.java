package io.pikku.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link InFlightWindowIntegrationTests} on the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveInFlightWindowIntegrationTests extends InFlightWindowIntegrationTests {

}
