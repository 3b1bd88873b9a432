package io.pikku.sample.todos;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link TodosClientTests} with the sample on the reactive stack (WebFlux on Reactor
 * Netty).
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveTodosClientTests extends TodosClientTests {

}
