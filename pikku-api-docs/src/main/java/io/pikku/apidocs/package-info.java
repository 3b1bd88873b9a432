/**
 * An API description of the channels (AsyncAPI 3.0.0) built from their definitions, with
 * JSON Schemas of the Java types; no Spring dependency, so a build can run it.
 */
@NullMarked
package io.pikku.apidocs;

import org.jspecify.annotations.NullMarked;
