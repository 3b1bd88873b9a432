package io.pikku.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link SendTimeLimitIntegrationTests} on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveSendTimeLimitIntegrationTests extends SendTimeLimitIntegrationTests {

}
