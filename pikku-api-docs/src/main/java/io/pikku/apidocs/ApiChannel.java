package io.pikku.apidocs;

import java.util.List;

import io.pikku.channel.Docs;
import org.jspecify.annotations.Nullable;

/**
 * A channel as the API description shows it.
 *
 * @param name the channel name
 * @param route the route, e.g. {@code /chat/{room}}
 * @param docs the channel's docs
 * @param pathVariables the route's variables, in order
 * @param openingData the opening data: path variables and query parameters
 * @param auth whether calls need a session unless an action or function says otherwise
 * @param routingProperties the routing properties, in the order they are tried
 * @param actions the wired actions, in declaration order
 * @param defaultHandler the default handler, or {@code null}
 * @param connect what {@code onConnect} sends first, or {@code null} for a channel
 * without {@code onConnect}
 * @param topics the topics its connections receive
 * @param errors the errors it answers outside any call
 */
public record ApiChannel(String name, String route, Docs docs, List<String> pathVariables, ApiType openingData,
		boolean auth, List<String> routingProperties, List<ApiAction> actions, @Nullable ApiAction defaultHandler,
		@Nullable ApiType connect, List<ApiTopic> topics, List<ApiError> errors) {

	public ApiChannel {
		pathVariables = List.copyOf(pathVariables);
		routingProperties = List.copyOf(routingProperties);
		actions = List.copyOf(actions);
		topics = List.copyOf(topics);
		errors = List.copyOf(errors);
	}

}
