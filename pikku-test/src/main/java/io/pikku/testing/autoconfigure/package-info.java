/**
 * Auto-configuration of the {@link io.pikku.testing.ChannelTester} for Spring Boot tests,
 * and the {@link io.pikku.testing.autoconfigure.PikkuChannelTest @PikkuChannelTest}
 * slice.
 */
@NullMarked
package io.pikku.testing.autoconfigure;

import org.jspecify.annotations.NullMarked;
