/**
 * The channel runtime that transports drive: route matching, opening data, the message
 * lifecycle, replies and errors. It knows no web stack; a transport implements
 * {@link io.pikku.channel.runtime.ChannelConnection}.
 */
@NullMarked
package io.pikku.channel.runtime;

import org.jspecify.annotations.NullMarked;
