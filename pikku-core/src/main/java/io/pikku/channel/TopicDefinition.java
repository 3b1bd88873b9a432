package io.pikku.channel;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/**
 * An EventHub topic whose deliveries a channel's connections receive, and the type of its
 * payload: what a channel publishes, for the API description and typed clients. It
 * changes nothing at run time.
 *
 * <p>
 * The name is a topic name ({@code todos:updated}) or a pattern with {@code {name}}
 * variables ({@code room:{room}}). A variable names a path variable or an opening data
 * property of the channel, or is declared with {@link Builder#variable(String, String)}
 * when its value comes from elsewhere (e.g. a topic the client chose). Declare a topic on
 * the channel ({@link ChannelDefinition.Builder#publishes(String, Class)}), or as a bean
 * that names its channels:
 *
 * <pre class="code">
 * &#64;Bean
 * TopicDefinition todosUpdated() {
 *     return TopicDefinition.builder("todos:updated", TodoEvent.class).channels("todos").build();
 * }
 * </pre>
 *
 * A topic declared more than once for a channel, with different payload types, delivers
 * any of them.
 */
public final class TopicDefinition {

	private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]*)}");

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private final String name;

	private final Type payloadType;

	private final Docs docs;

	private final List<String> variables;

	private final Map<String, String> freeVariables;

	private final List<String> channels;

	private TopicDefinition(Builder builder) {
		this.name = builder.name;
		this.payloadType = builder.payloadType;
		this.docs = new Docs(builder.summary, builder.description, List.of());
		this.variables = parse(builder.name);
		for (String variable : builder.freeVariables.keySet()) {
			if (!this.variables.contains(variable)) {
				throw new IllegalArgumentException(
						"Topic '" + this.name + "' declares variable '" + variable + "', which its name does not use");
			}
		}
		this.freeVariables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.freeVariables));
		this.channels = List.copyOf(builder.channels);
	}

	/**
	 * Starts a topic.
	 * @param name the topic name, or a pattern with {@code {name}} variables
	 * @param payloadType the type of what is published on it
	 * @return a builder
	 */
	public static Builder builder(String name, Class<?> payloadType) {
		return new Builder(name, payloadType);
	}

	/**
	 * Starts a topic whose payload is a generic type.
	 * @param name the topic name, or a pattern with {@code {name}} variables
	 * @param payloadType the type of what is published on it
	 * @return a builder
	 */
	public static Builder builder(String name, TypeReference<?> payloadType) {
		return new Builder(name, Objects.requireNonNull(payloadType, "payloadType").getType());
	}

	/**
	 * The topic name or pattern, e.g. {@code room:{room}}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The type of what is published on the topic.
	 * @return the payload type
	 */
	public Type payloadType() {
		return this.payloadType;
	}

	/**
	 * The documentation.
	 * @return the docs
	 */
	public Docs docs() {
		return this.docs;
	}

	/**
	 * The variables of the name, in order, e.g. {@code [room]} for {@code room:{room}}.
	 * @return the variable names; empty for a plain topic name
	 */
	public List<String> variables() {
		return this.variables;
	}

	/**
	 * The variables whose value does not come from the channel's opening data, with their
	 * descriptions.
	 * @return the free variables
	 */
	public Map<String, String> freeVariables() {
		return this.freeVariables;
	}

	/**
	 * The channels a topic bean is delivered on; empty for a topic declared on a channel.
	 * @return the channel names
	 */
	public List<String> channels() {
		return this.channels;
	}

	/**
	 * Checks that every variable of the name is a path variable or an opening data
	 * property of the channel, or declared free.
	 * @param channel the channel whose connections receive the topic
	 * @throws IllegalArgumentException naming the unknown variable
	 */
	public void requireKnownVariables(ChannelDefinition<?> channel) {
		Set<String> known = null;
		for (String variable : this.variables) {
			if (this.freeVariables.containsKey(variable)) {
				continue;
			}
			if (known == null) {
				known = openingDataNames(channel);
			}
			if (!known.contains(variable)) {
				throw new IllegalArgumentException("Topic '" + this.name + "' of channel '" + channel.name()
						+ "' has variable '" + variable + "', which is no path variable or opening data property "
						+ known + " of the channel: rename it, or declare it with variable(\"" + variable
						+ "\", description)");
			}
		}
	}

	private static Set<String> openingDataNames(ChannelDefinition<?> channel) {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = VARIABLE.matcher(channel.route());
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		Class<?> type = channel.openingDataType();
		if (type.isRecord()) {
			for (RecordComponent component : type.getRecordComponents()) {
				names.add(component.getName());
			}
		}
		else if (!Map.class.isAssignableFrom(type)) {
			for (Class<?> current = type; current != null
					&& current != Object.class; current = current.getSuperclass()) {
				for (Field field : current.getDeclaredFields()) {
					if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
						names.add(field.getName());
					}
				}
			}
		}
		return names;
	}

	private static List<String> parse(String name) {
		List<String> variables = new ArrayList<>();
		Matcher matcher = VARIABLE.matcher(name);
		int end = 0;
		while (matcher.find()) {
			requireNoBraces(name, name.substring(end, matcher.start()));
			String variable = matcher.group(1);
			if (!IDENTIFIER.matcher(variable).matches()) {
				throw new IllegalArgumentException("Topic '" + name + "' has a malformed variable '{" + variable
						+ "}': use a name such as {room}");
			}
			if (variables.contains(variable)) {
				throw new IllegalArgumentException("Topic '" + name + "' uses variable '" + variable + "' twice");
			}
			variables.add(variable);
			end = matcher.end();
		}
		requireNoBraces(name, name.substring(end));
		return List.copyOf(variables);
	}

	private static void requireNoBraces(String name, String literal) {
		if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
			throw new IllegalArgumentException(
					"Topic '" + name + "' has an unbalanced brace: variables are written {name}");
		}
	}

	@Override
	public String toString() {
		return "TopicDefinition[" + this.name + " " + this.payloadType.getTypeName() + "]";
	}

	/**
	 * Builds a {@link TopicDefinition}.
	 */
	public static final class Builder {

		private final String name;

		private final Type payloadType;

		private @Nullable String summary;

		private @Nullable String description;

		private final Map<String, String> freeVariables = new LinkedHashMap<>();

		private final List<String> channels = new ArrayList<>();

		private Builder(String name, Type payloadType) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("A topic needs a name");
			}
			this.name = name;
			this.payloadType = Objects.requireNonNull(payloadType, () -> "Topic '" + name + "' needs a payload type");
		}

		/**
		 * A one-line summary for the docs.
		 * @param summary what is published on the topic
		 * @return this builder
		 */
		public Builder summary(String summary) {
			this.summary = summary;
			return this;
		}

		/**
		 * A longer description for the docs.
		 * @param description the description
		 * @return this builder
		 */
		public Builder description(String description) {
			this.description = description;
			return this;
		}

		/**
		 * Declares a variable of the name whose value is not opening data, e.g. a topic
		 * name the client chose.
		 * @param name the variable, as written in the name between braces
		 * @param description where its value comes from
		 * @return this builder
		 */
		public Builder variable(String name, String description) {
			this.freeVariables.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(description));
			return this;
		}

		/**
		 * Adds the channels whose connections receive the topic, for a topic declared as
		 * a bean.
		 * @param channels the channel names
		 * @return this builder
		 */
		public Builder channels(String... channels) {
			this.channels.addAll(List.of(channels));
			return this;
		}

		/**
		 * Builds the topic.
		 * @return the topic
		 * @throws IllegalArgumentException if the name is malformed or a declared
		 * variable is not in it
		 */
		public TopicDefinition build() {
			return new TopicDefinition(this);
		}

	}

}
