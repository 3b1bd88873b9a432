package io.pikku.testing.slice;

import java.util.Map;

import io.pikku.channel.PikkuSession;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.testing.ChannelTester;
import io.pikku.testing.autoconfigure.PikkuChannelTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PikkuChannelTest @PikkuChannelTest}: one channel configuration, Pikku's runtime,
 * Jackson and validation, no server, an in-process tester.
 */
@PikkuChannelTest(channels = GreetingChannelConfiguration.class, properties = "pikku.correlation-field=requestId")
class PikkuChannelTestTests {

	@Autowired
	ChannelTester tester;

	@Autowired
	ApplicationContext context;

	@Test
	void loadsTheNamedChannelWithoutTheRestOfTheApplicationOrAServer() {
		assertThat(this.context.getBeansOfType(OtherConfiguration.class)).isEmpty();
		assertThat(this.context).isNotInstanceOf(WebServerApplicationContext.class);
		assertThat(this.context.getBean(ChannelRuntime.class).definitions()).extracting((channel) -> channel.name())
			.containsExactly("greeting");
		assertThat(this.context.getBean(ChannelRuntime.class).settings().correlationField()).isEqualTo("requestId");
	}

	@Test
	void theTesterCallsInProcessWithTheSessionSetDirectly() {
		ChannelTester alice = this.tester.mutate().session(PikkuSession.of("alice")).build();
		alice.connect("/greeting")
			.action("greet")
			.input(Map.of("name", "Bob"))
			.execute()
			.matchesJson("{\"action\":\"greet\",\"greeting\":\"Hello, Bob!\",\"by\":\"alice\"}");
	}

	@Test
	void inputsAreValidated() {
		this.tester.connect("/greeting")
			.action("greet")
			.input(Map.of("name", ""))
			.execute()
			.expectError("validation_failed")
			.hasDetailField("name");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Greeters {

		@Bean
		GreetingChannelConfiguration.Greeter greeter() {
			return (name) -> "Hello, " + name + "!";
		}

	}

}
