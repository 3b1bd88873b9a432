package io.pikku.autoconfigure;

import java.util.List;
import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ChannelSettings;
import io.pikku.channel.runtime.OpeningDataException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link PikkuAutoConfiguration}.
 */
class PikkuAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				PikkuAutoConfiguration.class));

	@Test
	void runtimeServesUserChannelsInBeanOrder() {
		this.contextRunner.withUserConfiguration(TwoChannelsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ChannelRuntime.class).hasSingleBean(PikkuProperties.class);
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			assertThat(runtime.definitions()).extracting(ChannelDefinition::name).containsExactly("first", "second");
			assertThat(runtime.definitions()).containsExactly(context.getBean("firstChannel", ChannelDefinition.class),
					context.getBean("secondChannel", ChannelDefinition.class));
			assertThat(runtime.match("/second/42")).isNotNull()
				.satisfies((match) -> assertThat(match.definition().name()).isEqualTo("second"))
				.satisfies((match) -> assertThat(match.pathVariables()).containsExactly(Map.entry("id", "42")));
			assertThat(runtime.match("/third")).isNull();
		});
	}

	@Test
	void runtimeIsCreatedWithoutChannels() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChannelRuntime.class);
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			assertThat(runtime.definitions()).isEmpty();
			assertThat(runtime.match("/anything")).isNull();
		});
	}

	@Test
	void runtimeUsesDefaultSettings() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(ChannelRuntime.class).settings()).isEqualTo(ChannelSettings.DEFAULTS);
			PikkuProperties properties = context.getBean(PikkuProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getMaxTextMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
			assertThat(properties.getChannels().getAllowedOrigins()).isEmpty();
		});
	}

	@Test
	void runtimeBacksOffWhenUserDefinesOne() {
		this.contextRunner.withUserConfiguration(TwoChannelsConfiguration.class, UserRuntimeConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ChannelRuntime.class);
				assertThat(context).getBean(ChannelRuntime.class).isSameAs(context.getBean("userRuntime"));
				assertThat(context).doesNotHaveBean("pikkuChannelRuntime");
				assertThat(context.getBean(ChannelRuntime.class).definitions()).isEmpty();
			});
	}

	@Test
	void nothingIsConfiguredWhenPikkuIsDisabled() {
		this.contextRunner.withUserConfiguration(TwoChannelsConfiguration.class)
			.withPropertyValues("pikku.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(PikkuProperties.class);
			});
	}

	@Test
	void propertiesAreAppliedToTheRuntimeSettings() {
		this.contextRunner
			.withPropertyValues("pikku.default-routing-property=type", "pikku.correlation-field=requestId",
					"pikku.close-on-error=true", "pikku.max-text-message-size=1KB", "pikku.max-binary-message-size=2MB")
			.run((context) -> {
				ChannelSettings settings = context.getBean(ChannelRuntime.class).settings();
				assertThat(settings.defaultRoutingProperty()).isEqualTo("type");
				assertThat(settings.correlationField()).isEqualTo("requestId");
				assertThat(settings.closeOnError()).isTrue();
				assertThat(settings.maxTextMessageSize()).isEqualTo(1024);
				assertThat(settings.maxBinaryMessageSize()).isEqualTo(2 * 1024 * 1024);
			});
	}

	@Test
	void transportPropertiesAreBound() {
		this.contextRunner
			.withPropertyValues("pikku.send-time-limit=3s", "pikku.send-buffer-limit=1MB",
					"pikku.channels.allowed-origins=https://*.example.com,https://example.org")
			.run((context) -> {
				PikkuProperties properties = context.getBean(PikkuProperties.class);
				assertThat(properties.getSendTimeLimit()).hasSeconds(3);
				assertThat(properties.getSendBufferLimit()).isEqualTo(DataSize.ofMegabytes(1));
				assertThat(properties.getChannels().getAllowedOrigins()).containsExactly("https://*.example.com",
						"https://example.org");
			});
	}

	@Test
	void blankCorrelationFieldFailsStartUp() {
		this.contextRunner.withPropertyValues("pikku.correlation-field= ")
			.run((context) -> assertInvalidProperty(context.getStartupFailure(), "pikku.correlation-field",
					"must not be blank"));
	}

	@Test
	void blankDefaultRoutingPropertyFailsStartUp() {
		this.contextRunner.withPropertyValues("pikku.default-routing-property= ")
			.run((context) -> assertInvalidProperty(context.getStartupFailure(), "pikku.default-routing-property",
					"must not be blank"));
	}

	@Test
	void correlationFieldEqualToDefaultRoutingPropertyFailsStartUp() {
		this.contextRunner.withPropertyValues("pikku.default-routing-property=type", "pikku.correlation-field=type")
			.run((context) -> assertInvalidProperty(context.getStartupFailure(), "pikku.correlation-field",
					"pikku.default-routing-property"));
	}

	@Test
	void zeroMaxTextMessageSizeFailsStartUp() {
		this.contextRunner.withPropertyValues("pikku.max-text-message-size=0")
			.run((context) -> assertInvalidProperty(context.getStartupFailure(), "pikku.max-text-message-size",
					"more than 0"));
	}

	@Test
	void maxBinaryMessageSizeOfTwoGigabytesFailsStartUp() {
		this.contextRunner.withPropertyValues("pikku.max-binary-message-size=2GB")
			.run((context) -> assertInvalidProperty(context.getStartupFailure(), "pikku.max-binary-message-size",
					"less than 2GB"));
	}

	@Test
	void duplicateChannelNamesFailStartUp() {
		this.contextRunner.withUserConfiguration(DuplicateNamesConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("'twin'")
				.hasMessageContaining("/twin-a")
				.hasMessageContaining("/twin-b");
		});
	}

	@Test
	void duplicateRoutesFailStartUp() {
		this.contextRunner.withUserConfiguration(DuplicateRoutesConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("'ax'")
				.hasMessageContaining("'ay'")
				.hasMessageContaining("/a/{x}")
				.hasMessageContaining("/a/{y}");
		});
	}

	@Test
	void runtimeBacksOffWithoutJackson() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.withUserConfiguration(TwoChannelsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(PikkuProperties.class);
			});
	}

	@Test
	void runtimeValidatesOpeningDataWithTheApplicationValidator() {
		this.contextRunner.withUserConfiguration(ValidatedChannelConfiguration.class).run((context) -> {
			ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
			assertThat(runtime.bindOpeningData("rooms", Map.of("room", "lobby"), Map.of()))
				.isEqualTo(new Room("lobby"));
			assertThatExceptionOfType(OpeningDataException.class)
				.isThrownBy(() -> runtime.bindOpeningData("rooms", Map.of("room", "NOT VALID!"), Map.of()))
				.satisfies((ex) -> assertThat(ex.getBody()).contains("room"));
		});
	}

	@Test
	void runtimeStartsWithoutValidationAutoConfigurationAndSkipsValidation() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class))
			.withUserConfiguration(ValidatedChannelConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ChannelRuntime.class);
				assertThat(context).doesNotHaveBean(Validator.class);
				ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
				assertThatNoException()
					.isThrownBy(() -> runtime.bindOpeningData("rooms", Map.of("room", "NOT VALID!"), Map.of()));
			});
	}

	@Test
	void runtimeStartsWithoutJacksonAutoConfiguration() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PikkuAutoConfiguration.class))
			.withUserConfiguration(ValidatedChannelConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ChannelRuntime.class);
				ChannelRuntime runtime = context.getBean(ChannelRuntime.class);
				assertThat(runtime.bindOpeningData("rooms", Map.of("room", "lobby"), Map.of()))
					.isEqualTo(new Room("lobby"));
			});
	}

	private static void assertInvalidProperty(Throwable failure, String property, String reason) {
		assertThat(failure).isNotNull();
		assertThat(failure).rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining(property)
			.hasMessageContaining(reason);
		InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) rootCause(
				failure);
		assertThat(invalid.getName()).isEqualTo(property);
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static ChannelDefinition<?> channel(String name, String route) {
		return ChannelDefinition.builder(name, route)
			.auth(false)
			.action("echo", PikkuFunction.of(Map.class, (input, context) -> input))
			.build();
	}

	record Room(@Pattern(regexp = "[a-z0-9-]{1,32}") String room) {
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoChannelsConfiguration {

		// Declared in reverse: the runtime serves channels in bean order.
		@Bean
		@Order(2)
		ChannelDefinition<?> secondChannel() {
			return channel("second", "/second/{id}");
		}

		@Bean
		@Order(1)
		ChannelDefinition<?> firstChannel() {
			return channel("first", "/first");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRuntimeConfiguration {

		@Bean
		ChannelRuntime userRuntime() {
			return ChannelRuntime.builder(List.of(), JsonMapper.builder().build()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateNamesConfiguration {

		@Bean
		ChannelDefinition<?> twinA() {
			return channel("twin", "/twin-a");
		}

		@Bean
		ChannelDefinition<?> twinB() {
			return channel("twin", "/twin-b");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateRoutesConfiguration {

		@Bean
		ChannelDefinition<?> ax() {
			return channel("ax", "/a/{x}");
		}

		@Bean
		ChannelDefinition<?> ay() {
			return channel("ay", "/a/{y}");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ValidatedChannelConfiguration {

		@Bean
		ChannelDefinition<Room> roomsChannel() {
			return ChannelDefinition.builder("rooms", "/rooms/{room}").openingData(Room.class).auth(false).build();
		}

	}

}
