package io.pikku.channel;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code pikku-core} free of any web stack and of package cycles.
 */
class ArchitectureTests {

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.pikku");
	}

	@Test
	void productionClassesAreImported() {
		assertThat(classes.contain(ChannelDefinition.class)).isTrue();
		assertThat(classes.contain("io.pikku.channel.runtime.ChannelRuntime")).isTrue();
		assertThat(classes.contain(ArchitectureTests.class)).isFalse();
	}

	@Test
	void coreDependsOnNoSpringClass() {
		noClasses().that()
			.resideInAPackage("io.pikku..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.check(classes);
	}

	@Test
	void coreDependsOnNoReactorClass() {
		noClasses().that()
			.resideInAPackage("io.pikku..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("reactor..")
			.check(classes);
	}

	// Guards modules to come (e.g. io.pikku.eventhub); today io.pikku.channel is the only
	// top-level slice, so packagesHaveNoCycles is the rule that checks channel/runtime.
	@Test
	void topLevelPackagesHaveNoCycles() {
		slices().matching("io.pikku.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.pikku.(**)").should().beFreeOfCycles().check(classes);
	}

}
