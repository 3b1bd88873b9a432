package io.pikku.testing;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link SocketChannelTesterIntegrationTests} on the reactive stack (WebFlux on Reactor
 * Netty), whose base path is {@code spring.webflux.base-path}.
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveSocketChannelTesterIntegrationTests extends SocketChannelTesterIntegrationTests {

}
