package io.pikku.channel.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pikku.channel.ActionWiring;
import io.pikku.channel.ChannelMiddleware;
import io.pikku.channel.Permissions;
import io.pikku.channel.RateLimit;
import io.pikku.channel.PikkuMiddleware;
import io.pikku.channel.TagMiddleware;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import org.jspecify.annotations.Nullable;
import java.lang.reflect.Modifier;

import jakarta.validation.Validator;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * A channel definition resolved against the settings: routing properties in order, action
 * tables, effective auth, resolved input types.
 */
final class CompiledChannel {

	final ChannelDefinition<?> definition;

	final RouteTemplate route;

	final List<String> routingProperties;

	final Map<String, Map<String, CompiledAction>> actions;

	final @Nullable CompiledAction defaultAction;

	final boolean channelAuth;

	/** Wire middleware around onConnect and onDisconnect: tag, then channel. */
	final List<PikkuMiddleware> lifecycleMiddleware;

	/** Channel middleware around every outbound message: tag, then channel. */
	final List<ChannelMiddleware> channelMiddleware;

	/** Whether the opening data has constraints to check. */
	final boolean openingDataConstrained;

	/** The routing property tried first, or {@code null} if nothing is wired. */
	final @Nullable String firstRoutingProperty;

	CompiledChannel(ChannelDefinition<?> definition, ChannelSettings settings, JsonMapper mapper,
			@Nullable Validator validator, List<TagMiddleware> tagMiddleware) {
		this.definition = definition;
		this.openingDataConstrained = definition.openingDataType() != java.util.Map.class
				&& constrained(validator, definition.openingDataType());
		this.route = RouteTemplate.parse(definition.route());
		this.channelAuth = (definition.auth() != null) ? definition.auth() : true;
		List<PikkuMiddleware> lifecycle = new ArrayList<>();
		List<ChannelMiddleware> outbound = new ArrayList<>();
		for (TagMiddleware tagged : tagMiddleware) {
			if (tagged.appliesTo(definition.tags())) {
				lifecycle.addAll(tagged.middleware());
				outbound.addAll(tagged.channelMiddleware());
			}
		}
		lifecycle.addAll(definition.middleware());
		outbound.addAll(definition.channelMiddleware());
		this.lifecycleMiddleware = List.copyOf(lifecycle);
		this.channelMiddleware = List.copyOf(outbound);
		Map<String, Map<String, CompiledAction>> tables = new LinkedHashMap<>();
		for (ActionWiring wiring : definition.actions()) {
			String property = (wiring.routingProperty() != null) ? wiring.routingProperty()
					: settings.defaultRoutingProperty();
			if (property.equals(settings.correlationField())) {
				throw new IllegalStateException("Channel '" + definition.name() + "' routes by '" + property
						+ "', which is the correlation field");
			}
			Map<String, CompiledAction> table = tables.computeIfAbsent(property, (key) -> new HashMap<>());
			CompiledAction action = new CompiledAction(property, wiring.name(), wiring.function(),
					effectiveAuth(wiring.auth(), wiring.function()), Input.of(mapper, validator, wiring.function()),
					effectivePermissions(wiring.permissions(), wiring.function()),
					middleware(tagMiddleware, wiring.function(), wiring.middleware()), wiring.rateLimit(),
					!wiring.nonBlocking() && !wiring.function().nonBlocking());
			if (table.putIfAbsent(wiring.name(), action) != null) {
				throw new IllegalStateException("Channel '" + definition.name() + "' wires action '" + wiring.name()
						+ "' of routing property '" + property + "' twice");
			}
		}
		this.actions = Map.copyOf(tables);
		this.routingProperties = List.copyOf(new ArrayList<>(tables.keySet()));
		this.firstRoutingProperty = this.routingProperties.isEmpty() ? null : this.routingProperties.get(0);
		PikkuFunction<?, ?> onMessage = definition.onMessage();
		this.defaultAction = (onMessage != null)
				? new CompiledAction(null, null, onMessage, effectiveAuth(null, onMessage),
						Input.of(mapper, validator, onMessage), effectivePermissions(null, onMessage),
						middleware(tagMiddleware, onMessage, List.of()), null, !onMessage.nonBlocking())
				: null;
	}

	private Permissions effectivePermissions(@Nullable Permissions wiringPermissions, PikkuFunction<?, ?> function) {
		if (wiringPermissions != null) {
			return wiringPermissions;
		}
		if (function.permissions() != null) {
			return function.permissions();
		}
		return (this.definition.permissions() != null) ? this.definition.permissions() : Permissions.NONE;
	}

	/**
	 * Tag middleware (channel's and function's tags), then channel, then action, then
	 * function.
	 */
	private List<PikkuMiddleware> middleware(List<TagMiddleware> tagMiddleware, PikkuFunction<?, ?> function,
			List<PikkuMiddleware> actionMiddleware) {
		Set<String> tags = new HashSet<>(this.definition.tags());
		tags.addAll(function.docs().tags());
		List<PikkuMiddleware> chain = new ArrayList<>();
		for (TagMiddleware tagged : tagMiddleware) {
			if (tagged.appliesTo(tags)) {
				chain.addAll(tagged.middleware());
			}
		}
		chain.addAll(this.definition.middleware());
		chain.addAll(actionMiddleware);
		chain.addAll(function.middleware());
		return List.copyOf(chain);
	}

	private boolean effectiveAuth(@Nullable Boolean wiringAuth, PikkuFunction<?, ?> function) {
		if (wiringAuth != null) {
			return wiringAuth;
		}
		if (function.auth() != null) {
			return function.auth();
		}
		return this.channelAuth;
	}

	/**
	 * Whether values of a type may have constraints to check: a final class (a record, a
	 * primitive, a string) only if it has some; any other class always, as a subclass may
	 * add some.
	 */
	static boolean constrained(@Nullable Validator validator, Class<?> type) {
		if (validator == null || JsonNode.class.isAssignableFrom(type)) {
			return false;
		}
		boolean closed = type.isPrimitive() || type.isArray() || Modifier.isFinal(type.getModifiers());
		return !closed || validator.getConstraintsForClass(type).isBeanConstrained();
	}

	String name() {
		return this.definition.name();
	}

	ChannelDescription describe(ChannelSettings settings) {
		List<ActionDescription> described = new ArrayList<>();
		for (ActionWiring wiring : this.definition.actions()) {
			String property = (wiring.routingProperty() != null) ? wiring.routingProperty()
					: settings.defaultRoutingProperty();
			described.add(describe(this.actions.get(property).get(wiring.name()), settings));
		}
		return new ChannelDescription(this.definition, this.route.variables(), this.routingProperties, this.channelAuth,
				described, (this.defaultAction != null) ? describe(this.defaultAction, settings) : null,
				settings.rateLimit());
	}

	private static ActionDescription describe(CompiledAction action, ChannelSettings settings) {
		return new ActionDescription(action.routingProperty(), action.name(), action.function(), action.auth(),
				action.permissions(), (action.rateLimit() != null) ? action.rateLimit() : settings.rateLimit());
	}

	/**
	 * A wired action, or the default handler (no routing property, no name).
	 */
	record CompiledAction(@Nullable String routingProperty, @Nullable String name, PikkuFunction<?, ?> function,
			boolean auth, Input input, Permissions permissions, List<PikkuMiddleware> middleware,
			@Nullable RateLimit rateLimit, boolean mayBlock) {

		String label() {
			return (this.name != null) ? this.routingProperty + ":" + this.name : "onMessage";
		}

		/** The action's name for listeners and logs: its name or {@code onMessage}. */
		String listenerName() {
			return (this.name != null) ? this.name : "onMessage";
		}

	}

	/**
	 * How a function's input is read: its type ({@code null} for none), a reader bound to
	 * it, and whether it has constraints to check.
	 */
	record Input(@Nullable JavaType type, @Nullable ObjectReader reader, boolean tree, boolean constrained) {

		static Input of(JsonMapper mapper, @Nullable Validator validator, PikkuFunction<?, ?> function) {
			if (function.inputType() == Void.class || function.inputType() == void.class) {
				return new Input(null, null, false, false);
			}
			JavaType type = mapper.constructType(function.inputType());
			boolean tree = JsonNode.class.isAssignableFrom(type.getRawClass());
			return new Input(type, mapper.readerFor(type), tree,
					CompiledChannel.constrained(validator, type.getRawClass()));
		}

	}

}
