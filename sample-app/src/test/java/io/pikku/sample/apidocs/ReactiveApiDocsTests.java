package io.pikku.sample.apidocs;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ApiDocsTests} with the sample on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveApiDocsTests extends ApiDocsTests {

}
