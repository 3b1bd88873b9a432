package io.pikku.testing.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.pikku.testing.ChannelTester;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of channels without a server: loads the named channel configurations with
 * Pikku's runtime, Jackson, Bean Validation and the Spring Security bridge, and nothing
 * else of the application (other components are not scanned, auto-configuration is
 * limited to those). Inject the in-process {@link ChannelTester}; set the session of a
 * connection directly with {@code tester.mutate().session(..)}. Provide what the channels
 * need from elsewhere with {@code @Import} or {@code @MockitoBean}.
 *
 * <pre class="code">
 * &#064;PikkuChannelTest(ChatChannelConfiguration.class)
 * class ChatChannelSliceTests {
 *
 *     &#064;Autowired
 *     ChannelTester tester;
 *
 *     &#064;Test
 *     void sendMessageAnswersTheSender() {
 *         ChannelTester.Connection chat = tester.mutate().session(PikkuSession.of("alice")).build()
 *             .connect("/chat/general");
 *         chat.action("sendMessage").input(Map.of("message", "Hi")).execute().path("$.userId").isEqualTo("alice");
 *     }
 *
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(PikkuChannelTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(PikkuChannelTypeExcludeFilter.class)
@AutoConfigureJson
@AutoConfigurePikkuChannels
@AutoConfigureChannelTester
@ImportAutoConfiguration
public @interface PikkuChannelTest {

	/**
	 * The channel configurations to load; an alias of {@link #channels()}.
	 * @return the configuration classes
	 */
	@AliasFor("channels")
	Class<?>[] value() default {};

	/**
	 * The channel configurations to load (classes found by component scanning, e.g.
	 * {@code @Configuration} classes declaring {@code ChannelDefinition} beans).
	 * @return the configuration classes
	 */
	@AliasFor("value")
	Class<?>[] channels() default {};

	/**
	 * Properties in the form {@literal key=value} added to the environment.
	 * @return the properties
	 */
	String[] properties() default {};

	/**
	 * Whether the default filtering applies: only the named channel configurations are
	 * included from component scanning.
	 * @return whether to use the default filters
	 */
	boolean useDefaultFilters() default true;

	/**
	 * More components to include from component scanning.
	 * @return the include filters
	 */
	Filter[] includeFilters() default {};

	/**
	 * Components to exclude from component scanning.
	 * @return the exclude filters
	 */
	Filter[] excludeFilters() default {};

	/**
	 * Auto-configuration to leave out.
	 * @return the auto-configuration classes to exclude
	 */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
