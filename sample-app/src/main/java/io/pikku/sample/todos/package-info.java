/**
 * The {@code todos} channel: a shared todo list with live updates.
 */
@NullMarked
package io.pikku.sample.todos;

import org.jspecify.annotations.NullMarked;
