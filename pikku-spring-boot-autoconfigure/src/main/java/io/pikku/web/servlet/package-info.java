/**
 * The servlet transport: Pikku channels on Spring WebSocket and the Jakarta WebSocket API
 * of the servlet container.
 */
@NullMarked
package io.pikku.web.servlet;

import org.jspecify.annotations.NullMarked;
