package io.pikku.apidocs.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.pikku.apidocs.ApiServer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Writes an application's AsyncAPI document and TypeScript client without serving it: it
 * starts the application context without a web server, reads its channels, writes the
 * files and stops. Run it in the build, e.g. with the exec plugin:
 *
 * <pre class="code">
 * java io.pikku.apidocs.boot.ApiDocsExport com.example.ChatApplication \
 *     --asyncapi=target/asyncapi.json --client-dir=src/main/resources/static
 * </pre>
 *
 * Other arguments go to the application (e.g. {@code --spring.profiles.active=docs}).
 * Without {@code pikku.api-docs.servers}, the document names
 * {@code ws://localhost:<server.port>}.
 */
public final class ApiDocsExport {

	static final String USAGE = "Usage: ApiDocsExport <application class> [--asyncapi=<file .json or .yaml>] "
			+ "[--client-dir=<directory>] [application arguments]";

	private ApiDocsExport() {
	}

	/**
	 * Writes the files.
	 * @param args the application class, {@code --asyncapi=<file>},
	 * {@code --client-dir=<directory>}, then the application's own arguments
	 * @throws Exception if the application cannot start or a file cannot be written
	 */
	public static void main(String[] args) throws Exception {
		for (Path file : export(args)) {
			System.out.println("Wrote " + file);
		}
	}

	/**
	 * Writes the files.
	 * @param args as for {@link #main(String[])}
	 * @return the files written
	 * @throws Exception if the application cannot start or a file cannot be written
	 */
	public static List<Path> export(String... args) throws Exception {
		if (args.length == 0 || args[0].startsWith("-")) {
			throw new IllegalArgumentException(USAGE);
		}
		Path asyncApi = null;
		Path clientDirectory = null;
		List<String> applicationArgs = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			if (args[i].startsWith("--asyncapi=")) {
				asyncApi = Path.of(value(args[i]));
			}
			else if (args[i].startsWith("--client-dir=")) {
				clientDirectory = Path.of(value(args[i]));
			}
			else {
				applicationArgs.add(args[i]);
			}
		}
		if (asyncApi == null && clientDirectory == null) {
			throw new IllegalArgumentException("Nothing to write: give --asyncapi, --client-dir or both. " + USAGE);
		}
		applicationArgs.add("--spring.main.web-application-type=none");
		Class<?> application = Class.forName(args[0], false, Thread.currentThread().getContextClassLoader());
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		spring.setBannerMode(Banner.Mode.OFF);
		spring.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = spring.run(applicationArgs.toArray(String[]::new))) {
			PikkuApiDocs docs;
			try {
				docs = context.getBean(PikkuApiDocs.class);
			}
			catch (NoSuchBeanDefinitionException ex) {
				throw new IllegalStateException("The application describes no channels: is pikku-api-docs on its "
						+ "class path, with pikku.enabled and pikku.api-docs.enabled not false?", ex);
			}
			List<ApiServer> servers = docs.servers().isEmpty() ? List.of(localServer(context.getEnvironment()))
					: docs.servers();
			return docs.write(asyncApi, clientDirectory, servers);
		}
	}

	private static String value(String argument) {
		String value = argument.substring(argument.indexOf('=') + 1);
		if (value.isBlank()) {
			throw new IllegalArgumentException("'" + argument + "' needs a path. " + USAGE);
		}
		return value;
	}

	private static ApiServer localServer(Environment environment) {
		int port = environment.getProperty("server.port", Integer.class, 8080);
		String contextPath = firstText(environment.getProperty("server.servlet.context-path"),
				environment.getProperty("spring.webflux.base-path"));
		return ApiServer.of("local", "ws://localhost:" + ((port > 0) ? port : 8080) + contextPath);
	}

	private static String firstText(@Nullable String first, @Nullable String second) {
		if (first != null && !first.isBlank()) {
			return first;
		}
		return (second != null && !second.isBlank()) ? second : "";
	}

}
