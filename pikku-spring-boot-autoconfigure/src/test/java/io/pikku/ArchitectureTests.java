package io.pikku;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.pikku.autoconfigure.PikkuAutoConfiguration;
import io.pikku.channel.runtime.ChannelRuntime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of Pikku's main classes: pikku-core (on the test class path as a jar) and
 * this module.
 */
@AnalyzeClasses(packages = "io.pikku", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static void analyzesMainClassesOfBothModules(JavaClasses classes) {
		assertThat(classes.contain(ChannelRuntime.class)).isTrue();
		assertThat(classes.contain(PikkuAutoConfiguration.class)).isTrue();
		assertThat(classes.contain(ArchitectureTests.class)).isFalse();
	}

	@ArchTest
	static final ArchRule noRedisTypes = noClasses().that()
		.resideInAPackage("io.pikku..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
		.because("Redis belongs in pikku-eventhub-redis");

	@ArchTest
	static final ArchRule channelModelAndRuntimeDoNotDependOnSpring = noClasses().that()
		.resideInAPackage("io.pikku.channel..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework..")
		.because("pikku-core has no Spring dependency");

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.pikku.(**)").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule autoConfigurationsHaveNoPublicMembers = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
		.noMethods()
		.that()
		.areDeclaredInClassesThat()
		.resideInAPackage("io.pikku.autoconfigure..")
		.and()
		.areDeclaredInClassesThat()
		.areMetaAnnotatedWith(org.springframework.context.annotation.Configuration.class)
		.should()
		.bePublic()
		.because("an auto-configuration is used through its beans, never called");

}
