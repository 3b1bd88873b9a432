package io.pikku.channel.runtime;

import java.util.List;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * A channel as the runtime serves it: its definition with routing properties, actions and
 * auth resolved against the settings, for descriptions such as the actuator endpoint and
 * the API description.
 *
 * @param definition the channel definition
 * @param pathVariables the route's path variables, in order
 * @param routingProperties the routing properties, in the order they are tried
 * @param auth whether calls need a session unless an action or function says otherwise
 * @param actions the wired actions, in declaration order
 * @param defaultHandler the default handler ({@code onMessage}), or {@code null}
 * @param rateLimit the connection's rate limit, or {@code null} for none
 */
public record ChannelDescription(ChannelDefinition<?> definition, List<String> pathVariables,
		List<String> routingProperties, boolean auth, List<ActionDescription> actions,
		@Nullable ActionDescription defaultHandler, @Nullable RateLimit rateLimit) {

	public ChannelDescription {
		pathVariables = List.copyOf(pathVariables);
		routingProperties = List.copyOf(routingProperties);
		actions = List.copyOf(actions);
	}

	/**
	 * The channel name.
	 * @return the name
	 */
	public String name() {
		return this.definition.name();
	}

}
