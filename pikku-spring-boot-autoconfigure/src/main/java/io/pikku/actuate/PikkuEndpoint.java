package io.pikku.actuate;

import java.util.List;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.runtime.ChannelDescription;
import io.pikku.channel.runtime.ChannelRuntime;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/pikku}: the channels this instance serves, their actions and auth, and
 * their live connections here.
 */
@Endpoint(id = "pikku")
public class PikkuEndpoint {

	private final ChannelRuntime runtime;

	/**
	 * An endpoint for the given runtime.
	 * @param runtime the runtime
	 */
	public PikkuEndpoint(ChannelRuntime runtime) {
		this.runtime = runtime;
	}

	/**
	 * Describes the channels.
	 * @return the description
	 */
	@ReadOperation
	public PikkuDescriptor channels() {
		List<ChannelDescriptor> channels = this.runtime.describe().stream().map(this::describe).toList();
		return new PikkuDescriptor(channels, this.runtime.connections().size());
	}

	private ChannelDescriptor describe(ChannelDescription channel) {
		ChannelDefinition<?> definition = channel.definition();
		List<ActionDescriptor> actions = channel.actions()
			.stream()
			.map((action) -> new ActionDescriptor(action.routingProperty(), action.name(), action.auth(),
					action.function().docs().summary()))
			.toList();
		return new ChannelDescriptor(definition.name(), definition.route(),
				this.runtime.connectionCount(definition.name()), channel.auth(), actions,
				definition.onMessage() != null, definition.onBinary() != null, definition.tags(),
				definition.docs().summary());
	}

	/**
	 * What the endpoint answers.
	 *
	 * @param channels the channels
	 * @param connections all open connections on this instance
	 */
	public record PikkuDescriptor(List<ChannelDescriptor> channels, int connections) {
	}

	/**
	 * One channel.
	 *
	 * @param name the name
	 * @param route the route
	 * @param connections open connections on this instance
	 * @param auth whether its calls need a session by default
	 * @param actions its wired actions
	 * @param defaultHandler whether it has a default onMessage handler
	 * @param binary whether it accepts binary frames
	 * @param tags its tags
	 * @param summary its summary, or {@code null}
	 */
	public record ChannelDescriptor(String name, String route, long connections, boolean auth,
			List<ActionDescriptor> actions, boolean defaultHandler, boolean binary, List<String> tags,
			@org.jspecify.annotations.Nullable String summary) {
	}

	/**
	 * One wired action.
	 *
	 * @param routingProperty its routing property
	 * @param name its name
	 * @param auth whether it needs a session
	 * @param summary its function's summary, or {@code null}
	 */
	public record ActionDescriptor(String routingProperty, String name, boolean auth,
			@org.jspecify.annotations.Nullable String summary) {
	}

}
