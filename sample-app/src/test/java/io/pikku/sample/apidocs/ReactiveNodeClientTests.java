package io.pikku.sample.apidocs;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link NodeClientTests} with the sample on the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveNodeClientTests extends NodeClientTests {

}
