/**
 * Testing Pikku channels: {@link io.pikku.testing.ChannelTester} calls actions and
 * asserts on replies, errors, topics and silence, over a real socket or in-process.
 */
@NullMarked
package io.pikku.testing;

import org.jspecify.annotations.NullMarked;
