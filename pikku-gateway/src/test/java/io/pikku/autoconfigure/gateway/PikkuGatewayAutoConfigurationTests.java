package io.pikku.autoconfigure.gateway;

import java.net.URI;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;

import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.security.PikkuSecurityAutoConfiguration;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.ConnectionGateway;
import io.pikku.channel.runtime.SessionCodec;
import io.pikku.autoconfigure.eventhub.redis.PikkuRedisAutoConfiguration;
import io.pikku.channel.runtime.StatelessChannelRuntime;
import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.InMemoryEventHub;
import io.pikku.gateway.ApiGatewayConnectionGateway;
import io.pikku.gateway.GatewayEndpoints;
import io.pikku.gateway.GatewayLambdaFunction;
import io.pikku.gateway.redis.RedisGatewayEventHub;
import io.pikku.gateway.redis.RedisStatelessChannelStore;
import io.pikku.security.AuthenticationSessionCodec;
import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.store.StatelessChannelStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class PikkuGatewayAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuSecurityAutoConfiguration.class,
				PikkuAutoConfiguration.class, PikkuGatewayAutoConfiguration.class))
		.withUserConfiguration(Channels.class)
		.withPropertyValues("pikku.gateway.enabled=true", "pikku.gateway.secret=0123456789abcdef",
				"pikku.gateway.apis.chat.channel=chat",
				"pikku.gateway.apis.chat.endpoint=https://abc.execute-api.eu-west-1.amazonaws.com/prod");

	@Test
	void theGatewayRuntimeReplacesTheStatefulOne() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(StatelessChannelRuntime.class)
				.hasSingleBean(GatewayEndpoints.class)
				.doesNotHaveBean(ChannelRuntime.class);
			assertThat(context.getBean(ConnectionGateway.class)).isInstanceOf(ApiGatewayConnectionGateway.class);
			assertThat(context.getBean(ChannelStore.class)).isInstanceOf(InMemoryChannelStore.class);
			assertThat(context.getBean(EventHub.class)).isInstanceOf(InMemoryEventHub.class);
			assertThat(context.getBean(SessionCodec.class)).isInstanceOf(AuthenticationSessionCodec.class);
		});
	}

	@Test
	void nothingChangesUnlessEnabled() {
		this.runner.withPropertyValues("pikku.gateway.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ChannelRuntime.class)
				.doesNotHaveBean(StatelessChannelRuntime.class)
				.doesNotHaveBean(GatewayEndpoints.class);
		});
	}

	@Test
	void nothingRunsWhenPikkuIsDisabled() {
		this.runner.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(StatelessChannelRuntime.class)
				.doesNotHaveBean(ChannelRuntime.class));
	}

	@Test
	void theGatewayBacksOffWithoutSpringMvcOrTheLambdaEventTypes() {
		this.runner
			.withClassLoader(new FilteredClassLoader(org.springframework.web.servlet.function.RouterFunction.class,
					APIGatewayV2WebSocketEvent.class))
			.run((context) -> assertThat(context).doesNotHaveBean(StatelessChannelRuntime.class));
	}

	@Test
	void theLambdaFunctionRunsBesideTheHttpIntegrationWhenTheLambdaEventTypesArePresent() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(GatewayEndpoints.class)
			.hasSingleBean(GatewayLambdaFunction.class)
			.hasBean("pikkuGatewayLambda"));
	}

	@Test
	void withoutTheLambdaEventTypesOnlyTheHttpIntegrationRuns() {
		this.runner.withClassLoader(new FilteredClassLoader(APIGatewayV2WebSocketEvent.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(GatewayEndpoints.class)
				.doesNotHaveBean("pikkuGatewayLambda"));
	}

	@Test
	void outsideAWebApplicationTheLambdaFunctionRunsWithoutASecret() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
					PikkuGatewayAutoConfiguration.class))
			.withUserConfiguration(Channels.class)
			.withPropertyValues("pikku.gateway.enabled=true", "pikku.gateway.apis.chat.channel=chat",
					"pikku.gateway.apis.chat.endpoint=https://abc.execute-api.eu-west-1.amazonaws.com/prod")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(StatelessChannelRuntime.class)
				.hasSingleBean(GatewayLambdaFunction.class)
				.doesNotHaveBean(GatewayEndpoints.class)
				.doesNotHaveBean(ChannelRuntime.class));
	}

	@Test
	void aUserLambdaFunctionIsUsed() {
		this.runner.withUserConfiguration(UserLambda.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(GatewayLambdaFunction.class)
				.hasBean("myLambda"));
	}

	@Test
	void eventsFindTheirApiByTheIdInTheEndpointUnlessOneIsSet() {
		PikkuGatewayProperties properties = new PikkuGatewayProperties();
		properties.getApis().put("chat", api("https://abc123.execute-api.eu-west-1.amazonaws.com/prod", null));
		properties.getApis().put("local", api("http://127.0.0.1:4510/local", null));
		properties.getApis().put("named", api("http://127.0.0.1:4510/named", "def456"));
		properties.getApis().put("cn", api("https://ghi789.execute-api.cn-north-1.amazonaws.com.cn/prod", null));
		assertThat(PikkuGatewayAutoConfiguration.apiIds(properties)).containsExactly(entry("abc123", "chat"),
				entry("def456", "named"), entry("ghi789", "cn"));
	}

	@Test
	void twoApisWithOneIdFailStartUpNamingTheProperty() {
		this.runner.withPropertyValues("pikku.gateway.apis.other.channel=chat",
				"pikku.gateway.apis.other.endpoint=http://127.0.0.1:4510/other", "pikku.gateway.apis.other.api-id=abc")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("pikku.gateway.apis.other.api-id"));
	}

	private static PikkuGatewayProperties.Api api(String endpoint, String apiId) {
		PikkuGatewayProperties.Api api = new PikkuGatewayProperties.Api();
		api.setEndpoint(URI.create(endpoint));
		api.setApiId(apiId);
		return api;
	}

	@Test
	void aUserGatewayIsUsed() {
		this.runner.withBean(ConnectionGateway.class, NoGateway::new)
			.run((context) -> assertThat(context.getBean(ConnectionGateway.class)).isInstanceOf(NoGateway.class));
	}

	@Test
	void sessionsArePlainWithoutSpringSecurity() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
					PikkuGatewayAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(SessionCodec.class))
				.isNotInstanceOf(AuthenticationSessionCodec.class));
	}

	@Test
	void theRedisStoreIsUsedWhenAsked() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class))
			.withPropertyValues("pikku.gateway.store=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ChannelStore.class)).isInstanceOf(RedisStatelessChannelStore.class);
				assertThat(context.getBean(EventHub.class)).isInstanceOf(RedisGatewayEventHub.class);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "redis" })
	void theGatewaysStoreAndEventHubWinOverThoseOfTheRedisEventHubModule(String store) {
		this.runner
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					DataRedisReactiveAutoConfiguration.class, PikkuRedisAutoConfiguration.class))
			.withPropertyValues("pikku.gateway.store=" + store)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(RedisEventHub.class);
				assertThat(context.getBean(ChannelStore.class)).isInstanceOf(StatelessChannelStore.class);
				assertThat(context).hasSingleBean(StatelessChannelRuntime.class);
			});
	}

	@Test
	void requestsAreSignedForTheEndpointsRegionUnlessOneIsSet() {
		URI regional = URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod");
		assertThat(PikkuGatewayAutoConfiguration.region(null, regional)).isEqualTo(Region.EU_WEST_1);
		assertThat(PikkuGatewayAutoConfiguration.region(null,
				URI.create("https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod")))
			.isEqualTo(Region.CN_NORTH_1);
		assertThat(PikkuGatewayAutoConfiguration.region("ap-south-1", regional)).isEqualTo(Region.AP_SOUTH_1);
		assertThat(PikkuGatewayAutoConfiguration.region(null, URI.create("http://127.0.0.1:4510")))
			.isEqualTo(Region.US_EAST_1);
	}

	@Test
	void aMissingSecretFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("pikku.gateway.secret=")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("pikku.gateway.secret"));
		this.runner.withPropertyValues("pikku.gateway.secret=short")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("16 characters"));
	}

	@Test
	void anApiForAnUnknownChannelFailsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("pikku.gateway.apis.other.channel=nope",
					"pikku.gateway.apis.other.endpoint=https://def.execute-api.eu-west-1.amazonaws.com/prod")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pikku.gateway.apis.other.channel")
				.hasMessageContaining("[chat]"));
	}

	@Test
	void anApiWithoutAnEndpointFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("pikku.gateway.apis.other.channel=chat")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pikku.gateway.apis.other.endpoint"));
	}

	@Test
	void noApisFailsStartUp() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PikkuAutoConfiguration.class,
					PikkuGatewayAutoConfiguration.class))
			.withUserConfiguration(Channels.class)
			.withPropertyValues("pikku.gateway.enabled=true", "pikku.gateway.secret=0123456789abcdef")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("pikku.gateway.apis"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Channels {

		@Bean
		ChannelDefinition<?> chat() {
			return ChannelDefinition.builder("chat", "/chat").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLambda {

		@Bean
		Function<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> myLambda() {
			return (event) -> new APIGatewayV2WebSocketResponse();
		}

	}

	static final class NoGateway implements ConnectionGateway {

		@Override
		public CompletionStage<Void> post(String channelId, String text) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletionStage<Void> close(String channelId) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletionStage<Optional<Info>> info(String channelId) {
			return CompletableFuture.completedFuture(Optional.empty());
		}

	}

}
