package io.pikku.sample;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link OperationsTests} with the sample on the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveOperationsTests extends OperationsTests {

}
