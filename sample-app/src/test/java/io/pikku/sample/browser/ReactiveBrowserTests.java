package io.pikku.sample.browser;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link BrowserTests} with the sample on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveBrowserTests extends BrowserTests {

}
