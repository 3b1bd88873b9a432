package io.pikku.testing.slice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Part of the application that a slice test of the greeting channel leaves out: it would
 * fail to start.
 */
@Configuration(proxyBeanMethods = false)
public class OtherConfiguration {

	@Bean
	String notForSlices() {
		throw new IllegalStateException("Loaded by a slice test that did not name it");
	}

}
