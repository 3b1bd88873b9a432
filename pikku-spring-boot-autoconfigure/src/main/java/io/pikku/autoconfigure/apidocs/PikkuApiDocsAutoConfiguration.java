package io.pikku.autoconfigure.apidocs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.pikku.apidocs.ApiDescription;
import io.pikku.apidocs.ApiInfo;
import io.pikku.apidocs.ApiServer;
import io.pikku.apidocs.AsyncApiWriter;
import io.pikku.apidocs.boot.BeanOutputTypes;
import io.pikku.apidocs.boot.PikkuApiDocs;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.autoconfigure.PikkuProperties;
import io.pikku.channel.TopicDefinition;
import io.pikku.channel.runtime.ChannelRuntime;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;

/**
 * Auto-configuration of the API description of the channels: a {@link PikkuApiDocs} built
 * at start-up (so that a topic naming an unknown channel, or a type Jackson cannot write,
 * fails it), served as AsyncAPI at {@code pikku.api-docs.path} + {@code .json} (and
 * {@code .yaml} with Jackson's YAML module) on either web stack.
 */
@AutoConfiguration(after = PikkuAutoConfiguration.class)
@ConditionalOnClass(ApiDescription.class)
@ConditionalOnBean(ChannelRuntime.class)
@ConditionalOnBooleanProperty(name = "pikku.api-docs.enabled", matchIfMissing = true)
public final class PikkuApiDocsAutoConfiguration {

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()+,;=:@-]+)+");

	@Bean
	@ConditionalOnMissingBean
	PikkuApiDocs pikkuApiDocs(ChannelRuntime runtime, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<TopicDefinition> topics, PikkuProperties properties,
			ConfigurableListableBeanFactory beanFactory, Environment environment) {
		PikkuProperties.ApiDocs settings = properties.getApiDocs();
		path(settings);
		JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
		ApiDescription description = ApiDescription.builder(runtime.describe(), runtime.settings(), mapper)
			.info(info(settings, environment))
			.outputTypes(BeanOutputTypes.of(beanFactory))
			.topics(topics.orderedStream().toList())
			.build();
		return new PikkuApiDocs(description, servers(settings), mapper);
	}

	/**
	 * The path of the document without extension, checked.
	 * @param settings the settings
	 * @return the path
	 */
	static String path(PikkuProperties.ApiDocs settings) {
		String path = settings.getPath();
		if (path == null || !PATH.matcher(path).matches()) {
			throw new InvalidConfigurationPropertyValueException("pikku.api-docs.path", path,
					"It must start with '/', have no empty segment, trailing '/', wildcard, variable, query or "
							+ "blank, e.g. /pikku/asyncapi.");
		}
		if (path.endsWith(".json") || path.endsWith(".yaml")) {
			throw new InvalidConfigurationPropertyValueException("pikku.api-docs.path", path,
					"Leave out the extension: the document is served at {path}.json and {path}.yaml.");
		}
		return path;
	}

	private static ApiInfo info(PikkuProperties.ApiDocs settings, Environment environment) {
		String title = settings.getTitle();
		if (title == null) {
			title = environment.getProperty("spring.application.name", "Pikku channels");
		}
		if (title.isBlank()) {
			throw new InvalidConfigurationPropertyValueException("pikku.api-docs.title", title,
					"It must not be blank.");
		}
		if (settings.getVersion() == null || settings.getVersion().isBlank()) {
			throw new InvalidConfigurationPropertyValueException("pikku.api-docs.version", settings.getVersion(),
					"It must not be blank.");
		}
		return new ApiInfo(title, settings.getVersion(), settings.getDescription());
	}

	private static List<ApiServer> servers(PikkuProperties.ApiDocs settings) {
		List<ApiServer> servers = new ArrayList<>();
		for (Map.Entry<String, String> server : settings.getServers().entrySet()) {
			try {
				servers.add(ApiServer.of(server.getKey(), server.getValue()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("pikku.api-docs.servers." + server.getKey(),
						server.getValue(), ex.getMessage() + ".");
			}
		}
		return servers;
	}

	/**
	 * The formats the document is served in: JSON, and YAML with Jackson's YAML module.
	 * @return the formats
	 */
	static List<Format> formats() {
		return AsyncApiWriter.yamlAvailable() ? List.of(Format.JSON, Format.YAML) : List.of(Format.JSON);
	}

	/**
	 * A format of the served document.
	 *
	 * @param extension the extension added to the path
	 * @param mediaType the content type
	 */
	record Format(String extension, MediaType mediaType) {

		static final Format JSON = new Format(".json", MediaType.APPLICATION_JSON);

		static final Format YAML = new Format(".yaml", new MediaType("application", "yaml", StandardCharsets.UTF_8));

		/**
		 * The document for a request: it names the configured servers, else the one the
		 * request reached.
		 * @param docs the docs
		 * @param uri the request's URI (scheme, host and port)
		 * @param contextPath the request's context path
		 * @return the document's bytes
		 */
		byte[] render(PikkuApiDocs docs, URI uri, String contextPath) {
			List<ApiServer> servers = docs.servers();
			if (servers.isEmpty()) {
				String scheme = "https".equalsIgnoreCase(uri.getScheme()) ? "wss" : "ws";
				String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
				servers = List.of(ApiServer.of("application", scheme + "://" + uri.getHost() + port + contextPath));
			}
			String document = (this == YAML) ? docs.asyncApiYaml(servers) : docs.asyncApiJson(servers);
			return document.getBytes(StandardCharsets.UTF_8);
		}

	}

	/** Serves the document on the servlet stack, with a functional endpoint. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
	static class ServletEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "pikkuApiDocsRouterFunction")
		org.springframework.web.servlet.function.RouterFunction<org.springframework.web.servlet.function.ServerResponse> pikkuApiDocsRouterFunction(
				PikkuApiDocs docs, PikkuProperties properties) {
			String path = path(properties.getApiDocs());
			var routes = org.springframework.web.servlet.function.RouterFunctions.route();
			for (Format format : formats()) {
				routes.GET(path + format.extension(),
						(request) -> org.springframework.web.servlet.function.ServerResponse.ok()
							.contentType(format.mediaType())
							.body(format.render(docs, request.uri(), request.requestPath().contextPath().value())));
			}
			return routes.build();
		}

	}

	/** Serves the document on the reactive stack, with a functional endpoint. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.function.server.RouterFunction")
	static class ReactiveEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "pikkuApiDocsRouterFunction")
		org.springframework.web.reactive.function.server.RouterFunction<org.springframework.web.reactive.function.server.ServerResponse> pikkuApiDocsRouterFunction(
				PikkuApiDocs docs, PikkuProperties properties) {
			String path = path(properties.getApiDocs());
			var routes = org.springframework.web.reactive.function.server.RouterFunctions.route();
			for (Format format : formats()) {
				routes.GET(path + format.extension(),
						(request) -> org.springframework.web.reactive.function.server.ServerResponse.ok()
							.contentType(format.mediaType())
							.bodyValue(
									format.render(docs, request.uri(), request.requestPath().contextPath().value())));
			}
			return routes.build();
		}

	}

}
