package io.pikku.testing.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.pikku.testing.ChannelTester;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds an in-process {@link ChannelTester} of the application's channel runtime to a
 * test's context, with no server. {@link PikkuChannelTest @PikkuChannelTest} includes it;
 * a {@code @SpringBootTest} with a random or defined port gets a tester over real sockets
 * without it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureChannelTester {

}
