/**
 * The WebSocket wire format (RFC 6455) written out by hand, as the load client and the
 * canned-reply server read and write it: the end of the upgrade's HTTP head, frame
 * headers, and frames encoded once.
 */
@NullMarked
package io.pikku.bench.wire;

import org.jspecify.annotations.NullMarked;
