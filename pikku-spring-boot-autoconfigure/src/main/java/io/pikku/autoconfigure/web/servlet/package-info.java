/**
 * Auto-configuration of the servlet transport: Pikku channels on Spring WebSocket.
 */
@NullMarked
package io.pikku.autoconfigure.web.servlet;

import org.jspecify.annotations.NullMarked;
