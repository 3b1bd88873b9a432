package io.pikku.sample.echo;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link EchoChannelTests} with the sample on the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveEchoChannelTests extends EchoChannelTests {

}
