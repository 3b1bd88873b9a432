package io.pikku.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import io.pikku.bench.server.ServerKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each server's JVM gets the jars of what it is: the sample app with or without
 * observability, the bare handlers and STOMP without the sample app.
 */
class ServerProcessTests {

	private static final Path SAMPLE = ServerProcess.sampleLocation();

	@Test
	void onlyTheSampleAppsJvmsHaveItAndOnlyTheObservedOnesHaveActuator() {
		assertThat(classPath(ServerKind.PIKKU)).contains(SAMPLE)
			.anyMatch(named("spring-security-web"))
			.anyMatch(named("spring-boot-actuator"))
			.anyMatch(named("micrometer-registry-prometheus"));
		assertThat(classPath(ServerKind.PIKKU_REACTIVE_UNOBSERVED)).contains(SAMPLE)
			.anyMatch(named("spring-security-web"))
			.noneMatch(named("spring-boot-actuator"))
			.noneMatch(named("micrometer-registry-"));
		for (ServerKind bare : List.of(ServerKind.RAW, ServerKind.STOMP, ServerKind.WEBFLUX)) {
			assertThat(classPath(bare)).as(bare.name())
				.doesNotContain(SAMPLE)
				.noneMatch(named("spring-security-"))
				.noneMatch(named("spring-boot-actuator"));
		}
	}

	private static List<Path> classPath(ServerKind kind) {
		return List.of(ServerProcess.classPath(kind).split(File.pathSeparator))
			.stream()
			.map((entry) -> Path.of(entry).toAbsolutePath())
			.toList();
	}

	private static Predicate<Path> named(String prefix) {
		return (entry) -> entry.getFileName().toString().startsWith(prefix);
	}

}
