package io.pikku.sample.chat;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ChatChannelTests} with the sample on the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveChatChannelTests extends ChatChannelTests {

}
