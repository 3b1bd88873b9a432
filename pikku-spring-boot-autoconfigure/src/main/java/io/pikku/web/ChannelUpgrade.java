package io.pikku.web;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpeningDataException;
import io.pikku.channel.runtime.RouteTemplate;
import org.jspecify.annotations.Nullable;

/**
 * Whether an upgrade request to one channel's route opens a connection, the same on every
 * web stack: 503 when the transport is full or shutting down, 404 for a path the route
 * does not match, 400 with the errors in the structured shape for bad opening data;
 * otherwise the bound opening data. (A foreign origin is refused with 403 before, by each
 * stack's own origin check.)
 */
public final class ChannelUpgrade {

	private final ChannelRuntime runtime;

	private final String channelName;

	private final RouteTemplate route;

	private final BooleanSupplier accepting;

	/**
	 * The decision for one channel.
	 * @param runtime the runtime
	 * @param channelName the channel
	 * @param accepting whether the transport accepts connections now
	 */
	public ChannelUpgrade(ChannelRuntime runtime, String channelName, BooleanSupplier accepting) {
		this.runtime = runtime;
		this.channelName = channelName;
		this.route = RouteTemplate.parse(runtime.definition(channelName).route());
		this.accepting = accepting;
	}

	/**
	 * Decides on an upgrade request.
	 * @param path the request path within the application (without context path)
	 * @param queryParameters the decoded query parameters
	 * @return the decision
	 */
	public Decision decide(String path, Map<String, List<String>> queryParameters) {
		if (!this.accepting.getAsBoolean()) {
			return new Decision(503, null, null);
		}
		Map<String, String> pathVariables = this.route.match(path);
		if (pathVariables == null) {
			return new Decision(404, null, null);
		}
		try {
			return new Decision(101, this.runtime.bindOpeningData(this.channelName, pathVariables, queryParameters),
					null);
		}
		catch (OpeningDataException ex) {
			return new Decision(400, null, ex.getBody());
		}
	}

	/**
	 * The decision on an upgrade request.
	 *
	 * @param status 101 to upgrade, otherwise the HTTP status of the refusal
	 * @param openingData the opening data, for an upgrade
	 * @param body the JSON body of a refusal, or {@code null}
	 */
	public record Decision(int status, @Nullable Object openingData, @Nullable String body) {

		/**
		 * Whether the connection opens.
		 * @return {@code true} to upgrade
		 */
		public boolean upgrades() {
			return this.status == 101;
		}

	}

}
