package io.pikku.testing.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Imports Pikku's channel runtime (with its in-memory EventHub and channel store), Bean
 * Validation and the Spring Security bridge, and nothing of the web: what a channel needs
 * to run in a test without a server. {@link PikkuChannelTest @PikkuChannelTest} includes
 * it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigurePikkuChannels {

}
