/**
 * The {@code chat} channel: rooms with live messages and presence.
 */
@NullMarked
package io.pikku.sample.chat;

import org.jspecify.annotations.NullMarked;
