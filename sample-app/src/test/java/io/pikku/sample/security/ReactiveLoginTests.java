package io.pikku.sample.security;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link LoginTests} with the sample on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveLoginTests extends LoginTests {

}
