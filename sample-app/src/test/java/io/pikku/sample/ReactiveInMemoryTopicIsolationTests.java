package io.pikku.sample;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link TopicIsolationTests} on the reactive stack, in memory.
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveInMemoryTopicIsolationTests extends InMemoryTopicIsolationTests {

}
