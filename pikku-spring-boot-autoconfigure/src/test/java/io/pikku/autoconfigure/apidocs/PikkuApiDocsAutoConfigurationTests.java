package io.pikku.autoconfigure.apidocs;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.pikku.apidocs.ApiAction;
import io.pikku.apidocs.ApiDescription;
import io.pikku.apidocs.ApiServer;
import io.pikku.apidocs.boot.PikkuApiDocs;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.TopicDefinition;
import io.pikku.test.AsyncApiSchema;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PikkuApiDocsAutoConfiguration}.
 */
class PikkuApiDocsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(JacksonAutoConfiguration.class,
			ValidationAutoConfiguration.class, PikkuAutoConfiguration.class, PikkuApiDocsAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withUserConfiguration(ChannelConfiguration.class);

	@Test
	void describesTheChannelsByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PikkuApiDocs.class).doesNotHaveBean("pikkuApiDocsRouterFunction");
			PikkuApiDocs docs = context.getBean(PikkuApiDocs.class);
			ApiDescription description = docs.description();
			assertThat(description.info().title()).isEqualTo("Pikku channels");
			assertThat(description.info().version()).isEqualTo("1.0.0");
			assertThat(description.channels()).singleElement()
				.satisfies((channel) -> assertThat(channel.name()).isEqualTo("notes"));
			assertThat(docs.servers()).isEmpty();
			assertThat(AsyncApiSchema.problems(docs.asyncApi(List.of(ApiServer.of("local", "ws://localhost:1")))))
				.isEmpty();
			assertThat(docs.typeScriptClient().typeScript()).contains("readonly notes: {");
		});
	}

	@Test
	void outputTypesComeFromTheBeanMethodsGenericReturnTypes() {
		this.contextRunner.run((context) -> {
			List<ApiAction> actions = context.getBean(PikkuApiDocs.class).description().channels().get(0).actions();
			assertThat(actions).extracting(ApiAction::name)
				.containsExactly("add", "addLater", "addReactive", "raw", "given");
			assertThat(actions).extracting((action) -> action.output().schema().path("$ref").asString(""))
				.containsExactly("#/components/schemas/Note", "#/components/schemas/Note", "#/components/schemas/Note",
						"", "#/components/schemas/Note");
			assertThat(actions.get(3).output().kind()).as("PikkuFunction<?, ?> says nothing")
				.isEqualTo(io.pikku.apidocs.ApiType.Kind.ANY);
		});
	}

	@Test
	void titleComesFromTheApplicationNameUnlessSet() {
		this.contextRunner.withPropertyValues("spring.application.name=notes-app").run((context) -> {
			assertThat(context.getBean(PikkuApiDocs.class).description().info().title()).isEqualTo("notes-app");
		});
		this.contextRunner
			.withPropertyValues("spring.application.name=notes-app", "pikku.api-docs.title=Notes",
					"pikku.api-docs.version=2.0.0", "pikku.api-docs.description=Shared notes",
					"pikku.api-docs.servers.production=wss://notes.example.com/app")
			.run((context) -> {
				PikkuApiDocs docs = context.getBean(PikkuApiDocs.class);
				assertThat(docs.description().info())
					.isEqualTo(new io.pikku.apidocs.ApiInfo("Notes", "2.0.0", "Shared notes"));
				assertThat(docs.servers()).containsExactly(ApiServer.of("production", "wss://notes.example.com/app"));
			});
	}

	@Test
	void backsOffWhenTheUserDefinesApiDocs() {
		this.contextRunner.withUserConfiguration(UserApiDocsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PikkuApiDocs.class);
			assertThat(context.getBean(PikkuApiDocs.class)).isSameAs(context.getBean("userApiDocs"));
		});
	}

	@Test
	void isOffWhenDisabled() {
		this.contextRunner.withPropertyValues("pikku.api-docs.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PikkuApiDocs.class));
	}

	@Test
	void isOffWhenPikkuIsDisabled() {
		this.contextRunner.withPropertyValues("pikku.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PikkuApiDocs.class));
	}

	@Test
	void isOffWithoutTheGenerator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ApiDescription.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PikkuApiDocs.class));
	}

	@Test
	void servesTheDocumentOnTheServletStack() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withUserConfiguration(ChannelConfiguration.class)
			.run((context) -> assertThat(context).hasBean("pikkuApiDocsRouterFunction")
				.getBean("pikkuApiDocsRouterFunction")
				.isInstanceOf(org.springframework.web.servlet.function.RouterFunction.class));
	}

	@Test
	void servesTheDocumentOnTheReactiveStack() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withUserConfiguration(ChannelConfiguration.class)
			.run((context) -> assertThat(context).hasBean("pikkuApiDocsRouterFunction")
				.getBean("pikkuApiDocsRouterFunction")
				.isInstanceOf(org.springframework.web.reactive.function.server.RouterFunction.class));
	}

	@Test
	void aPathWithoutLeadingSlashFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("pikku.api-docs.path=pikku/asyncapi").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("pikku.api-docs.path")
				.hasMessageContaining("It must start with '/'");
		});
	}

	@Test
	void aPathWithAnExtensionOrWildcardFailsStartUp() {
		for (String path : List.of("/pikku/asyncapi.json", "/pikku/*", "/pikku/", "/pikku/{name}", "/a b")) {
			this.contextRunner.withPropertyValues("pikku.api-docs.path=" + path).run((context) -> {
				assertThat(context).as(path).hasFailed();
				assertThat(context.getStartupFailure()).as(path)
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("pikku.api-docs.path");
			});
		}
	}

	@Test
	void aServerThatIsNoWebSocketUrlFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("pikku.api-docs.servers.production=https://notes.example.com")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("pikku.api-docs.servers.production")
					.hasMessageContaining("needs a ws:// or wss:// URL");
			});
	}

	@Test
	void aBlankVersionFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("pikku.api-docs.version= ").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("pikku.api-docs.version");
		});
	}

	@Test
	void topicBeansAreDescribedOnTheChannelsTheyName() {
		this.contextRunner.withUserConfiguration(TopicConfiguration.class).run((context) -> {
			assertThat(context.getBean(PikkuApiDocs.class).description().channels().get(0).topics()).singleElement()
				.satisfies((topic) -> assertThat(topic.name()).isEqualTo("notes:changed"));
		});
	}

	@Test
	void aTopicBeanNamingAnUnknownChannelFailsStartUp() {
		this.contextRunner.withUserConfiguration(StrayTopicConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("Topic bean 'lobby:news' names channel 'lobby', which is not one of the channels [notes]");
		});
	}

	@Test
	void unwrapsCompletionStagesAndMonosButNotStreams() throws NoSuchMethodException {
		assertThat(unwrap("add")).isEqualTo(Note.class);
		assertThat(unwrap("addLater")).isEqualTo(Note.class);
		assertThat(unwrap("addReactive")).isEqualTo(Note.class);
		assertThat(unwrap("many")).isNull();
		assertThat(unwrap("nothing")).isEqualTo(Void.class);
		assertThat(unwrap("list").getTypeName()).isEqualTo("java.util.List<" + Note.class.getName() + ">");
	}

	private static Type unwrap(String method) throws NoSuchMethodException {
		return io.pikku.apidocs.boot.BeanOutputTypesAccess
			.unwrap(org.springframework.core.ResolvableType.forMethodReturnType(Shapes.class.getDeclaredMethod(method))
				.getGeneric(1));
	}

	interface Shapes {

		PikkuFunction<Void, Note> add();

		PikkuFunction<Void, CompletableFuture<Note>> addLater();

		PikkuFunction<Void, Mono<Note>> addReactive();

		PikkuFunction<Void, reactor.core.publisher.Flux<Note>> many();

		PikkuFunction<Void, Mono<Void>> nothing();

		PikkuFunction<Void, List<Note>> list();

	}

	record NewNote(@NotBlank String text) {
	}

	record Note(String id, String text) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ChannelConfiguration {

		@Bean
		PikkuFunction<NewNote, Note> add() {
			return PikkuFunction.builder(NewNote.class)
				.handler((input, context) -> new Note("1", input.text()))
				.build();
		}

		@Bean
		PikkuFunction<NewNote, CompletionStage<Note>> addLater() {
			return PikkuFunction.builder(NewNote.class)
				.handler((input,
						context) -> (CompletionStage<Note>) CompletableFuture
							.completedFuture(new Note("1", input.text())))
				.build();
		}

		@Bean
		PikkuFunction<NewNote, Mono<Note>> addReactive() {
			return PikkuFunction.builder(NewNote.class)
				.handler((input, context) -> Mono.just(new Note("1", input.text())))
				.build();
		}

		@Bean
		PikkuFunction<?, ?> raw() {
			return PikkuFunction.builder(NewNote.class)
				.handler((input, context) -> new Note("1", input.text()))
				.build();
		}

		@Bean
		ChannelDefinition<?> notes(PikkuFunction<NewNote, Note> add,
				PikkuFunction<NewNote, CompletionStage<Note>> addLater, PikkuFunction<NewNote, Mono<Note>> addReactive,
				PikkuFunction<?, ?> raw) {
			return ChannelDefinition.builder("notes", "/notes")
				.action("add", add)
				.action("addLater", addLater)
				.action("addReactive", addReactive)
				.action("raw", raw)
				.action("given", PikkuFunction.builder(Void.class).returns(Note.class).handler((i, c) -> null).build())
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserApiDocsConfiguration {

		@Bean
		PikkuApiDocs userApiDocs() {
			return new PikkuApiDocs(ApiDescription
				.builder(List.of(), io.pikku.channel.runtime.ChannelSettings.DEFAULTS, JsonMapper.builder().build())
				.build(), List.of(), JsonMapper.builder().build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TopicConfiguration {

		@Bean
		TopicDefinition notesChanged() {
			return TopicDefinition.builder("notes:changed", Note.class).channels("notes").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StrayTopicConfiguration {

		@Bean
		TopicDefinition lobbyNews() {
			return TopicDefinition.builder("lobby:news", Note.class).channels("lobby").build();
		}

	}

}
