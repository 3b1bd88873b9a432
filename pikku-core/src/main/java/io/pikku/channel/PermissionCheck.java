package io.pikku.channel;

import org.jspecify.annotations.Nullable;

/**
 * One check of a permission group: may this call go ahead? It sees the input, the session
 * and the channel. Checks are combined as in Pikku: a call passes when any of its groups
 * passes, and a group passes when all of its checks pass. A denied call is answered
 * {@code forbidden}.
 *
 * <pre class="code">
 * PermissionCheck isOwner = (input, context) -&gt; ((Todo) input).owner().equals(context.requireSession().userId());
 * </pre>
 */
@FunctionalInterface
public interface PermissionCheck {

	/**
	 * Whether the call may go ahead.
	 * @param input the bound input, or {@code null} for a function without one
	 * @param context the channel and session
	 * @return whether this check passes
	 * @throws Exception a {@link PikkuException} is answered with its code, any other
	 * exception as {@code internal}
	 */
	boolean allows(@Nullable Object input, ChannelContext<?> context) throws Exception;

}
