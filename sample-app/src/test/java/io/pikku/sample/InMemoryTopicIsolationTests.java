package io.pikku.sample;

import io.pikku.channel.runtime.ChannelRuntime;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@link TopicIsolationTests} on the sample as shipped: one instance, in memory.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class InMemoryTopicIsolationTests extends TopicIsolationTests {

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@Override
	protected int attackerPort() {
		return this.port;
	}

	@Override
	protected int victimPort() {
		return this.port;
	}

	@Override
	protected ChannelRuntime attackerRuntime() {
		return this.runtime;
	}

}
