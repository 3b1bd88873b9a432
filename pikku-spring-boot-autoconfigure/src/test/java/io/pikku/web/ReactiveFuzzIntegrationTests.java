package io.pikku.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link FuzzIntegrationTests} on the reactive stack (WebFlux on Reactor Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveFuzzIntegrationTests extends FuzzIntegrationTests {

	@Override
	protected boolean closeFrameAlwaysSent() {
		return true;
	}

}
