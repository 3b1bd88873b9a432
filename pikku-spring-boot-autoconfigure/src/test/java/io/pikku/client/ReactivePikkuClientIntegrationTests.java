package io.pikku.client;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link PikkuClientIntegrationTests} against the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactivePikkuClientIntegrationTests extends PikkuClientIntegrationTests {

}
