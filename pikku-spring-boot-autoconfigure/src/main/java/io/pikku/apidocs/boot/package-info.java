/**
 * The API description of a Spring Boot application's channels: output types read from
 * {@code @Bean} methods, the served document, and a build-time export.
 */
@NullMarked
package io.pikku.apidocs.boot;

import org.jspecify.annotations.NullMarked;
