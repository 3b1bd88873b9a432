package io.pikku.metrics;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link PikkuMetricsIntegrationTests} on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactivePikkuMetricsIntegrationTests extends PikkuMetricsIntegrationTests {

}
