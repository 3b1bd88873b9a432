package io.pikku.apidocs.boot;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link ApiDocsEndpointIntegrationTests} on the reactive stack.
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveApiDocsEndpointIntegrationTests extends ApiDocsEndpointIntegrationTests {

}
