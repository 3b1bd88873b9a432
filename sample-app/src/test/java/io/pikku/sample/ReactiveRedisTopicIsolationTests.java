package io.pikku.sample;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TopicIsolationTests} across two instances on a real Redis, on the reactive
 * stack.
 */
class ReactiveRedisTopicIsolationTests extends RedisTopicIsolationTests {

	@BeforeAll
	static void startRedisAndTwoInstances() {
		start("reactive");
	}

}
