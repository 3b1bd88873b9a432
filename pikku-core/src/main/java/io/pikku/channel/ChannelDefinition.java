package io.pikku.channel;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/**
 * A channel: a WebSocket route, its lifecycle handlers and its message wiring, as Pikku's
 * {@code wireChannel}. Declare one as a {@code @Bean} and it is served.
 *
 * <pre class="code">
 * &#64;Bean
 * ChannelDefinition&lt;ChatRoom&gt; chat(PikkuFunction&lt;SendMessage, ChatMessage&gt; sendMessage) {
 *     return ChannelDefinition.builder("chat", "/chat/{room}")
 *         .openingData(ChatRoom.class)
 *         .onConnect(Welcome.class, (context) -&gt; new Welcome("Welcome to " + context.channel().openingData().room() + "!"))
 *         .action("sendMessage", sendMessage)
 *         .publishes("room:{room}", ChatMessage.class)
 *         .build();
 * }
 * </pre>
 *
 * @param <D> the type of the opening data
 */
public final class ChannelDefinition<D> {

	private final String name;

	private final String route;

	private final Class<D> openingDataType;

	private final @Nullable ConnectHandler<D> onConnect;

	private final @Nullable DisconnectHandler<D> onDisconnect;

	private final @Nullable PikkuFunction<?, ?> onMessage;

	private final @Nullable BinaryHandler<D> onBinary;

	private final List<ActionWiring> actions;

	private final @Nullable Boolean auth;

	private final List<String> tags;

	private final Docs docs;

	private final @Nullable Permissions permissions;

	private final List<PikkuMiddleware> middleware;

	private final List<ChannelMiddleware> channelMiddleware;

	private final @Nullable Type onConnectReplyType;

	private final List<TopicDefinition> topics;

	private ChannelDefinition(Builder<D> builder) {
		this.name = builder.name;
		this.route = builder.route;
		this.openingDataType = builder.openingDataType;
		this.onConnect = builder.onConnect;
		this.onDisconnect = builder.onDisconnect;
		this.onMessage = builder.onMessage;
		this.onBinary = builder.onBinary;
		this.actions = List.copyOf(builder.actions);
		this.auth = builder.auth;
		this.tags = List.copyOf(builder.tags);
		this.docs = new Docs(builder.summary, builder.description, builder.tags);
		this.permissions = builder.permissions;
		this.middleware = List.copyOf(builder.middleware);
		this.channelMiddleware = List.copyOf(builder.channelMiddleware);
		this.onConnectReplyType = builder.onConnectReplyType;
		this.topics = List.copyOf(builder.topics);
	}

	/**
	 * Starts a channel. Until {@link Builder#openingData(Class)} says otherwise, its
	 * opening data is a map of path variables and query parameters.
	 * @param name the unique channel name
	 * @param route the route, with {@code {name}} path variables, e.g.
	 * {@code /chat/{room}}
	 * @return a builder
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static Builder<Map<String, String>> builder(String name, String route) {
		return new Builder<>(name, route, (Class) Map.class);
	}

	/**
	 * The unique name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The route template, e.g. {@code /chat/{room}}.
	 * @return the route
	 */
	public String route() {
		return this.route;
	}

	/**
	 * The type the opening data is bound to.
	 * @return the opening data type
	 */
	public Class<D> openingDataType() {
		return this.openingDataType;
	}

	/**
	 * The connect handler.
	 * @return the handler, or {@code null}
	 */
	public @Nullable ConnectHandler<D> onConnect() {
		return this.onConnect;
	}

	/**
	 * The disconnect handler.
	 * @return the handler, or {@code null}
	 */
	public @Nullable DisconnectHandler<D> onDisconnect() {
		return this.onDisconnect;
	}

	/**
	 * The default handler, for frames that carry no routing property.
	 * @return the function, or {@code null}
	 */
	public @Nullable PikkuFunction<?, ?> onMessage() {
		return this.onMessage;
	}

	/**
	 * The binary frame handler.
	 * @return the handler, or {@code null} for a text-only channel
	 */
	public @Nullable BinaryHandler<D> onBinary() {
		return this.onBinary;
	}

	/**
	 * The message wiring in declaration order.
	 * @return the actions
	 */
	public List<ActionWiring> actions() {
		return this.actions;
	}

	/**
	 * Whether calls need a session unless a function or action says otherwise, or
	 * {@code null} for the default (true).
	 * @return the auth setting
	 */
	public @Nullable Boolean auth() {
		return this.auth;
	}

	/**
	 * The channel's tags, which select tag-level middleware and group it in the docs.
	 * @return the tags
	 */
	public List<String> tags() {
		return this.tags;
	}

	/**
	 * The documentation.
	 * @return the docs
	 */
	public Docs docs() {
		return this.docs;
	}

	/**
	 * The default permission groups of the channel's calls, or {@code null} for none.
	 * @return the permissions
	 */
	public @Nullable Permissions permissions() {
		return this.permissions;
	}

	/**
	 * Wire middleware around every call on this channel, inside tag middleware.
	 * @return the middleware, outermost first
	 */
	public List<PikkuMiddleware> middleware() {
		return this.middleware;
	}

	/**
	 * Channel middleware around every message sent on this channel, inside tag channel
	 * middleware.
	 * @return the channel middleware, outermost first
	 */
	public List<ChannelMiddleware> channelMiddleware() {
		return this.channelMiddleware;
	}

	/**
	 * The type of what {@code onConnect} answers as the first message, for the API
	 * description and typed clients.
	 * @return the reply type, or {@code null} when not declared
	 * @see Builder#onConnect(Class, ConnectHandler)
	 */
	public @Nullable Type onConnectReplyType() {
		return this.onConnectReplyType;
	}

	/**
	 * The topics whose deliveries this channel's connections receive, as declared on the
	 * channel, for the API description and typed clients.
	 * @return the topics, in declaration order
	 * @see Builder#publishes(String, Class)
	 */
	public List<TopicDefinition> topics() {
		return this.topics;
	}

	@Override
	public String toString() {
		return "ChannelDefinition[" + this.name + " " + this.route + "]";
	}

	/**
	 * Builds a {@link ChannelDefinition}.
	 *
	 * @param <D> the type of the opening data
	 */
	public static final class Builder<D> {

		private final String name;

		private final String route;

		private Class<D> openingDataType;

		private @Nullable ConnectHandler<D> onConnect;

		private @Nullable DisconnectHandler<D> onDisconnect;

		private @Nullable PikkuFunction<?, ?> onMessage;

		private @Nullable BinaryHandler<D> onBinary;

		private final List<ActionWiring> actions = new ArrayList<>();

		private @Nullable Boolean auth;

		private final List<String> tags = new ArrayList<>();

		private @Nullable String summary;

		private @Nullable String description;

		private @Nullable Permissions permissions;

		private final List<PikkuMiddleware> middleware = new ArrayList<>();

		private final List<ChannelMiddleware> channelMiddleware = new ArrayList<>();

		private @Nullable Type onConnectReplyType;

		private final List<TopicDefinition> topics = new ArrayList<>();

		private Builder(String name, String route, Class<D> openingDataType) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("A channel needs a name");
			}
			if (route == null || !route.startsWith("/")) {
				throw new IllegalArgumentException("Channel '" + name + "' needs a route starting with '/'");
			}
			this.name = name;
			this.route = route;
			this.openingDataType = openingDataType;
		}

		/**
		 * Binds the opening data (path variables and query parameters) to a type, usually
		 * a record with Bean Validation constraints. A value that fails them refuses the
		 * upgrade with HTTP 400.
		 * @param <T> the opening data type
		 * @param type the opening data type
		 * @return this builder, typed for the opening data
		 */
		@SuppressWarnings("unchecked")
		public <T> Builder<T> openingData(Class<T> type) {
			if (this.onConnect != null || this.onDisconnect != null || this.onBinary != null) {
				throw new IllegalStateException(
						"Channel '" + this.name + "': declare the opening data before the lifecycle handlers");
			}
			Builder<T> typed = (Builder<T>) this;
			typed.openingDataType = Objects.requireNonNull(type, "type");
			return typed;
		}

		/**
		 * Runs when a client connects; its result is sent as the first message.
		 * @param onConnect the handler
		 * @return this builder
		 */
		public Builder<D> onConnect(ConnectHandler<D> onConnect) {
			this.onConnect = onConnect;
			return this;
		}

		/**
		 * Runs when a client connects; its result, of the given type, is sent as the
		 * first message. The type is for the API description and typed clients only.
		 * @param replyType the type of the first message
		 * @param onConnect the handler
		 * @return this builder
		 */
		public Builder<D> onConnect(Class<?> replyType, ConnectHandler<D> onConnect) {
			this.onConnectReplyType = Objects.requireNonNull(replyType, "replyType");
			this.onConnect = onConnect;
			return this;
		}

		/**
		 * Runs when a client connects; its result, of the given generic type, is sent as
		 * the first message.
		 * @param replyType the type of the first message
		 * @param onConnect the handler
		 * @return this builder
		 * @see #onConnect(Class, ConnectHandler)
		 */
		public Builder<D> onConnect(TypeReference<?> replyType, ConnectHandler<D> onConnect) {
			this.onConnectReplyType = Objects.requireNonNull(replyType, "replyType").getType();
			this.onConnect = onConnect;
			return this;
		}

		/**
		 * Declares a topic whose deliveries this channel's connections receive: its name
		 * (e.g. {@code todos:updated}) or a pattern whose {@code {variables}} are path
		 * variables or opening data properties (e.g. {@code room:{room}}), and the type
		 * of its payload. Declare a topic again with another type when it delivers
		 * several. For the API description and typed clients only: subscribing stays the
		 * functions' business.
		 * @param topic the topic name or pattern
		 * @param payloadType the type of what is published on it
		 * @return this builder
		 */
		public Builder<D> publishes(String topic, Class<?> payloadType) {
			return publishes(TopicDefinition.builder(topic, payloadType).build());
		}

		/**
		 * Declares a topic with its docs or free variables.
		 * @param topic the topic
		 * @return this builder
		 * @see #publishes(String, Class)
		 */
		public Builder<D> publishes(TopicDefinition topic) {
			Objects.requireNonNull(topic, "topic");
			if (!topic.channels().isEmpty()) {
				throw new IllegalArgumentException("Channel '" + this.name + "': topic '" + topic.name()
						+ "' names channels " + topic.channels() + "; only a topic bean names its channels");
			}
			for (TopicDefinition declared : this.topics) {
				if (declared.name().equals(topic.name()) && declared.payloadType().equals(topic.payloadType())) {
					throw new IllegalArgumentException("Channel '" + this.name + "' declares topic '" + topic.name()
							+ "' with payload " + topic.payloadType().getTypeName() + " twice");
				}
			}
			this.topics.add(topic);
			return this;
		}

		/**
		 * Runs once when a connection has closed.
		 * @param onDisconnect the handler
		 * @return this builder
		 */
		public Builder<D> onDisconnect(DisconnectHandler<D> onDisconnect) {
			this.onDisconnect = onDisconnect;
			return this;
		}

		/**
		 * The default handler: called with JSON frames that carry none of the channel's
		 * routing properties. Its result is sent as it is.
		 * @param onMessage the function
		 * @return this builder
		 */
		public Builder<D> onMessage(PikkuFunction<?, ?> onMessage) {
			this.onMessage = onMessage;
			return this;
		}

		/**
		 * Accepts binary frames. Without it, a binary frame is answered with
		 * {@code unsupported_frame}.
		 * @param onBinary the handler
		 * @return this builder
		 */
		public Builder<D> onBinary(BinaryHandler<D> onBinary) {
			this.onBinary = onBinary;
			return this;
		}

		/**
		 * Wires an action of the default routing property to a function.
		 * @param action the action name
		 * @param function the function
		 * @return this builder
		 */
		public Builder<D> action(String action, PikkuFunction<?, ?> function) {
			return wire(null, action, function, (options) -> {
			});
		}

		/**
		 * Wires an action of the default routing property to a function, with options.
		 * @param action the action name
		 * @param function the function
		 * @param options sets per-action options, e.g. {@code (o) -> o.auth(false)}
		 * @return this builder
		 */
		public Builder<D> action(String action, PikkuFunction<?, ?> function, Consumer<ActionWiring.Options> options) {
			return wire(null, action, function, options);
		}

		/**
		 * Wires an action of another routing property, e.g. {@code command}. Routing
		 * properties are tried in the order they are first declared.
		 * @param routingProperty the routing property
		 * @param action the action name
		 * @param function the function
		 * @return this builder
		 */
		public Builder<D> action(String routingProperty, String action, PikkuFunction<?, ?> function) {
			return wire(routingProperty, action, function, (options) -> {
			});
		}

		/**
		 * Wires an action of another routing property, with options.
		 * @param routingProperty the routing property
		 * @param action the action name
		 * @param function the function
		 * @param options sets per-action options
		 * @return this builder
		 */
		public Builder<D> action(String routingProperty, String action, PikkuFunction<?, ?> function,
				Consumer<ActionWiring.Options> options) {
			return wire(Objects.requireNonNull(routingProperty, "routingProperty"), action, function, options);
		}

		private Builder<D> wire(@Nullable String routingProperty, String action, PikkuFunction<?, ?> function,
				Consumer<ActionWiring.Options> customizer) {
			ActionWiring.Options options = new ActionWiring.Options();
			customizer.accept(options);
			this.actions.add(new ActionWiring(routingProperty, action, function, options.auth(), options.permissions(),
					options.middleware(), options.rateLimit(), options.isNonBlocking()));
			return this;
		}

		/**
		 * Whether calls need a session unless a function or action says otherwise
		 * (default true). Connecting never needs one.
		 * @param auth whether a session is required
		 * @return this builder
		 */
		public Builder<D> auth(boolean auth) {
			this.auth = auth;
			return this;
		}

		/**
		 * Adds a default permission group for the channel's calls, used where neither the
		 * action wiring nor the function declares permissions.
		 * @param group the group's name
		 * @param checks the checks that must all pass
		 * @return this builder
		 */
		public Builder<D> permission(String group, PermissionCheck... checks) {
			this.permissions = ((this.permissions != null) ? this.permissions : Permissions.NONE).and(group, checks);
			return this;
		}

		/**
		 * Adds wire middleware around every call on this channel (its actions, default
		 * handler, {@code onConnect} and {@code onDisconnect}).
		 * @param middleware the middleware, outermost first
		 * @return this builder
		 */
		public Builder<D> middleware(PikkuMiddleware... middleware) {
			this.middleware.addAll(List.of(middleware));
			return this;
		}

		/**
		 * Adds channel middleware around every message sent on this channel.
		 * @param middleware the channel middleware, outermost first
		 * @return this builder
		 */
		public Builder<D> channelMiddleware(ChannelMiddleware... middleware) {
			this.channelMiddleware.addAll(List.of(middleware));
			return this;
		}

		/**
		 * Adds tags, which select tag-level middleware and group the channel in the docs,
		 * as a function's tags do.
		 * @param tags the tags
		 * @return this builder
		 */
		public Builder<D> tags(String... tags) {
			this.tags.addAll(List.of(tags));
			return this;
		}

		/**
		 * A one-line summary for the docs.
		 * @param summary what the channel is for
		 * @return this builder
		 */
		public Builder<D> summary(String summary) {
			this.summary = summary;
			return this;
		}

		/**
		 * A longer description for the docs.
		 * @param description the description
		 * @return this builder
		 */
		public Builder<D> description(String description) {
			this.description = description;
			return this;
		}

		/**
		 * Builds the channel.
		 * @return the channel definition
		 * @throws IllegalArgumentException if an action is wired twice, or a topic has a
		 * variable that is no path variable or opening data property
		 */
		public ChannelDefinition<D> build() {
			Set<String> seen = new HashSet<>();
			for (ActionWiring wiring : this.actions) {
				String key = wiring.routingProperty() + "\u0000" + wiring.name();
				if (!seen.add(key)) {
					throw new IllegalArgumentException("Channel '" + this.name + "' wires action '" + wiring.name()
							+ "' twice" + ((wiring.routingProperty() != null)
									? " for routing property '" + wiring.routingProperty() + "'" : ""));
				}
			}
			ChannelDefinition<D> definition = new ChannelDefinition<>(this);
			for (TopicDefinition topic : definition.topics()) {
				topic.requireKnownVariables(definition);
			}
			return definition;
		}

	}

}
