/**
 * A Java client for Pikku channels: calls matched to their replies by correlation id,
 * typed errors, topic deliveries, reconnects, and declarative clients.
 */
@NullMarked
package io.pikku.client;

import org.jspecify.annotations.NullMarked;
