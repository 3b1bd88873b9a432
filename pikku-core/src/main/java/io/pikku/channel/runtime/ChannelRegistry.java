package io.pikku.channel.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.TagMiddleware;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The served channels, compiled once: no two share a name or a route, and a request path
 * finds its channel, literal segments before variables.
 */
final class ChannelRegistry {

	private final List<CompiledChannel> channels;

	/** The channels, most specific route first, for matching. */
	private final List<CompiledChannel> matchOrder;

	private final Map<String, CompiledChannel> byName;

	ChannelRegistry(Collection<? extends ChannelDefinition<?>> definitions, ChannelSettings settings, JsonMapper mapper,
			@Nullable Validator validator, List<TagMiddleware> tagMiddleware) {
		List<CompiledChannel> compiled = new ArrayList<>();
		Map<String, CompiledChannel> names = new LinkedHashMap<>();
		Map<String, CompiledChannel> routes = new HashMap<>();
		for (ChannelDefinition<?> definition : definitions) {
			CompiledChannel channel = new CompiledChannel(definition, settings, mapper, validator, tagMiddleware);
			CompiledChannel sameName = names.putIfAbsent(definition.name(), channel);
			if (sameName != null) {
				throw new IllegalStateException("Duplicate channel name '" + definition.name() + "': routes "
						+ sameName.definition.route() + " and " + definition.route());
			}
			CompiledChannel sameRoute = routes.putIfAbsent(channel.route.signature(), channel);
			if (sameRoute != null) {
				throw new IllegalStateException("Channels '" + sameRoute.name() + "' and '" + definition.name()
						+ "' have the same route: " + sameRoute.definition.route() + " and " + definition.route());
			}
			compiled.add(channel);
		}
		this.channels = List.copyOf(compiled);
		this.matchOrder = compiled.stream()
			.sorted(Comparator.comparingInt((CompiledChannel channel) -> channel.route.variableCount()))
			.toList();
		this.byName = Map.copyOf(names);
	}

	List<ChannelDefinition<?>> definitions() {
		return this.channels.stream().<ChannelDefinition<?>>map((channel) -> channel.definition).toList();
	}

	@Nullable CompiledChannel find(String name) {
		return this.byName.get(name);
	}

	CompiledChannel get(String name) {
		CompiledChannel channel = this.byName.get(name);
		if (channel == null) {
			throw new IllegalArgumentException("No channel named '" + name + "'");
		}
		return channel;
	}

	ChannelRuntime.@Nullable RouteMatch match(String path) {
		for (CompiledChannel channel : this.matchOrder) {
			Map<String, String> variables = channel.route.match(path);
			if (variables != null) {
				return new ChannelRuntime.RouteMatch(channel.definition, variables);
			}
		}
		return null;
	}

}
