package io.pikku.testing.autoconfigure;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.testing.ChannelTester;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of an in-process {@link ChannelTester} that drives the application's
 * {@link ChannelRuntime} with no server, imported by
 * {@link AutoConfigureChannelTester @AutoConfigureChannelTester}.
 */
@AutoConfiguration(after = PikkuAutoConfiguration.class)
@ConditionalOnClass({ ChannelTester.class, ChannelRuntime.class })
@ConditionalOnBean(ChannelRuntime.class)
public final class ChannelTesterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChannelTester pikkuChannelTester(ChannelRuntime runtime, ObjectProvider<JsonMapper> jsonMapper) {
		ChannelTester.Builder builder = ChannelTester.forRuntime(runtime);
		jsonMapper.ifAvailable(builder::jsonMapper);
		return builder.build();
	}

}
