package io.pikku.client;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The client stands alone: no Spring, no Pikku server classes.
 */
@AnalyzeClasses(packages = "io.pikku.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule clientDependsOnNoSpringAndNoServer = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "io.pikku.channel..", "io.pikku.eventhub..")
		.because("pikku-client needs only the JDK, Jackson and SLF4J");

}
