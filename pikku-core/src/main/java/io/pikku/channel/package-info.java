/**
 * The Pikku channel model: channel definitions, functions wired to actions, and what a
 * function sees of its channel and session.
 */
@NullMarked
package io.pikku.channel;

import org.jspecify.annotations.NullMarked;
