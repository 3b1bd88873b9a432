package io.pikku.apidocs;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.CustomDefinitionProviderV2;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.DefinitionKey;
import com.github.victools.jsonschema.generator.naming.SchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.impl.UnknownSerializer;

/**
 * JSON Schemas of the Java types on the wire, with their Bean Validation constraints,
 * made with victools' generator and collected under {@code #/components/schemas}. Every
 * object type gets a named schema; maps, collections and scalars are inlined.
 *
 * <p>
 * Which properties are {@code required}: of a type clients send (an input or opening
 * data), those Bean Validation says must not be null; of a type only the server writes,
 * every property Jackson always writes.
 */
final class SchemaCatalog {

	static final String PATH = "components/schemas";

	static final String PREFIX = "#/" + PATH + "/";

	private final JsonMapper mapper;

	private final SchemaBuilder builder;

	private final Map<Type, ObjectNode> references = new HashMap<>();

	private @Nullable ObjectNode definitions;

	SchemaCatalog(JsonMapper mapper, Collection<Type> inputTypes) {
		this.mapper = mapper;
		Set<Class<?>> inputClasses = new HashSet<>();
		SchemaGenerator recorder = new SchemaGenerator(config(mapper, Set.of(), (type) -> {
			Class<?> erased = type.getErasedType();
			inputClasses.add(erased);
		}).build());
		for (Type type : inputTypes) {
			recorder.generateSchema(type);
		}
		this.builder = new SchemaGenerator(config(mapper, inputClasses, (type) -> {
		}).build()).buildMultipleSchemaDefinitions();
	}

	private static SchemaGeneratorConfigBuilder config(JsonMapper mapper, Set<Class<?>> inputClasses,
			Consumer<ResolvedType> visited) {
		SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_7,
				OptionPreset.PLAIN_JSON)
			.with(new JacksonSchemaModule())
			.with(new JakartaValidationModule(JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
					JakartaValidationOption.NOT_NULLABLE_METHOD_IS_REQUIRED,
					JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
			.with(Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.PLAIN_DEFINITION_KEYS,
					Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
		config.forTypesInGeneral()
			.withCustomDefinitionProvider(new InlineProvider(visited))
			.withPropertySorter((first, second) -> 0)
			.withDefinitionNamingStrategy(new Naming());
		boolean alwaysWritten = alwaysIncluded(mapper);
		config.forFields()
			.withRequiredCheck((field) -> writtenAlways(field, inputClasses, alwaysWritten))
			.withNullableCheck(SchemaCatalog::nullable);
		config.forMethods()
			.withRequiredCheck((method) -> writtenAlways(method, inputClasses, alwaysWritten))
			.withNullableCheck(SchemaCatalog::nullable);
		return config;
	}

	private static boolean alwaysIncluded(JsonMapper mapper) {
		JsonInclude.Include inclusion = mapper.serializationConfig().getDefaultPropertyInclusion().getValueInclusion();
		return inclusion == JsonInclude.Include.ALWAYS || inclusion == JsonInclude.Include.USE_DEFAULTS;
	}

	private static boolean writtenAlways(MemberScope<?, ?> member, Set<Class<?>> inputClasses, boolean alwaysWritten) {
		if (!alwaysWritten || member.isFakeContainerItemScope()) {
			return false;
		}
		Class<?> declaring = member.getDeclaringType().getErasedType();
		if (inputClasses.contains(declaring) || declaring.isAnnotationPresent(JsonInclude.class)) {
			return false;
		}
		return member.getAnnotationConsideringFieldAndGetter(JsonInclude.class) == null;
	}

	private static @Nullable Boolean nullable(MemberScope<?, ?> member) {
		if (member.isFakeContainerItemScope()) {
			return null;
		}
		Object raw = member.getRawMember();
		if (raw instanceof Field field && (annotatedNullable(field) || typeAnnotatedNullable(field))) {
			return true;
		}
		if (raw instanceof Method method
				&& (annotatedNullable(method) || hasNullable(method.getAnnotatedReturnType().getAnnotations()))) {
			return true;
		}
		return null;
	}

	private static boolean annotatedNullable(AnnotatedElement element) {
		return hasNullable(element.getAnnotations());
	}

	private static boolean typeAnnotatedNullable(Field field) {
		return hasNullable(field.getAnnotatedType().getAnnotations());
	}

	private static boolean hasNullable(Annotation[] annotations) {
		for (Annotation annotation : annotations) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A schema for a type, filled in by {@link #complete()}: a {@code $ref} to a named
	 * schema, or an inlined one.
	 * @param type the Java type
	 * @return the schema placeholder; the same node for the same type
	 */
	ObjectNode reference(Type type) {
		if (this.definitions != null) {
			throw new IllegalStateException("The catalog is complete");
		}
		return this.references.computeIfAbsent(type, this.builder::createSchemaReference);
	}

	/**
	 * Fills in every reference and collects the named schemas.
	 * @return the schemas, by name
	 */
	ObjectNode complete() {
		if (this.definitions == null) {
			this.definitions = this.builder.collectDefinitions(PATH);
		}
		return this.definitions;
	}

	/**
	 * A schema with a {@code $ref} into the catalog replaced by the named schema.
	 * @param schema a schema
	 * @return the schema it refers to, or itself
	 */
	JsonNode resolve(JsonNode schema) {
		JsonNode current = schema;
		for (int hops = 0; hops < 16 && current.has("$ref"); hops++) {
			String ref = current.get("$ref").asString();
			if (!ref.startsWith(PREFIX)) {
				return current;
			}
			JsonNode target = complete().get(ref.substring(PREFIX.length()));
			if (target == null) {
				return current;
			}
			current = target;
		}
		return current;
	}

	/**
	 * How a value of this schema travels.
	 * @param schema a schema from {@link #reference(Type)}
	 * @return the kind
	 */
	ApiType.Kind kind(JsonNode schema) {
		JsonNode resolved = resolve(schema);
		JsonNode type = resolved.get("type");
		if (type == null) {
			return (resolved.has("properties") || resolved.has("additionalProperties")) ? ApiType.Kind.OBJECT
					: ApiType.Kind.ANY;
		}
		if (type.isString()) {
			return type.asString().equals("object") ? ApiType.Kind.OBJECT : ApiType.Kind.VALUE;
		}
		for (JsonNode member : type) {
			if (member.asString().equals("object")) {
				return ApiType.Kind.OBJECT;
			}
		}
		return ApiType.Kind.VALUE;
	}

	/**
	 * Checks that Jackson can write values of a type.
	 * @param type the type
	 * @param what what declares it, for the message
	 * @throws IllegalStateException if Jackson cannot write it
	 */
	void requireWritable(Type type, String what) {
		JavaType javaType = this.mapper.constructType(type);
		String problem;
		try {
			ValueSerializer<Object> serializer = this.mapper._serializationContext().findValueSerializer(javaType);
			if (!(serializer instanceof UnknownSerializer)) {
				return;
			}
			problem = "it has no properties Jackson can see (no public fields or getters, no @JsonProperty)";
		}
		catch (JacksonException ex) {
			problem = ex.getOriginalMessage();
		}
		throw new IllegalStateException(what + " " + type.getTypeName() + ", which Jackson cannot describe: " + problem
				+ ". Give a type Jackson can write, e.g. a record");
	}

	/** Inlines maps, and leaves {@code Object} and {@code JsonNode} unconstrained. */
	private static final class InlineProvider implements CustomDefinitionProviderV2 {

		private final Consumer<ResolvedType> visited;

		InlineProvider(Consumer<ResolvedType> visited) {
			this.visited = visited;
		}

		@Override
		public @Nullable CustomDefinition provideCustomSchemaDefinition(ResolvedType javaType,
				SchemaGenerationContext context) {
			this.visited.accept(javaType);
			Class<?> erased = javaType.getErasedType();
			if (erased == Object.class || JsonNode.class.isAssignableFrom(erased)) {
				return new CustomDefinition(context.getGeneratorConfig().createObjectNode(),
						CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
			}
			if (Map.class.isAssignableFrom(erased)) {
				return new CustomDefinition(context.createStandardDefinition(javaType, this),
						CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.YES);
			}
			return null;
		}

	}

	/**
	 * Names a schema after its class ({@code Todo}, {@code PageTodo} for
	 * {@code Page<Todo>}); classes of the same simple name are told apart by their
	 * package, then their enclosing classes ({@code EchoSubscribed} and
	 * {@code TodosSubscribed}).
	 */
	private static final class Naming implements SchemaDefinitionNamingStrategy {

		@Override
		public String getDefinitionNameForKey(DefinitionKey key, SchemaGenerationContext context) {
			return name(key.getType(), 0);
		}

		@Override
		public void adjustDuplicateNames(Map<DefinitionKey, String> subset, SchemaGenerationContext context) {
			for (int level = 1; level <= 3; level++) {
				Map<DefinitionKey, String> renamed = new LinkedHashMap<>();
				for (DefinitionKey key : subset.keySet()) {
					renamed.put(key, name(key.getType(), level));
				}
				if (new HashSet<>(renamed.values()).size() == renamed.size() || level == 3) {
					List<String> taken = new ArrayList<>();
					renamed.forEach((key, name) -> {
						String unique = name;
						for (int i = 2; taken.contains(unique); i++) {
							unique = name + i;
						}
						taken.add(unique);
						subset.put(key, unique);
					});
					return;
				}
			}
		}

		private static String name(ResolvedType type, int level) {
			Class<?> erased = type.getErasedType();
			StringBuilder name = new StringBuilder();
			if (level >= 1 && erased.getPackageName().length() > 0) {
				String packageName = erased.getPackageName();
				if (level == 3) {
					for (String segment : packageName.split("\\.")) {
						name.append(capitalize(segment));
					}
				}
				else {
					name.append(capitalize(packageName.substring(packageName.lastIndexOf('.') + 1)));
				}
			}
			if (level >= 2) {
				List<String> enclosing = new ArrayList<>();
				for (Class<?> outer = erased.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
					enclosing.add(0, outer.getSimpleName());
				}
				enclosing.forEach(name::append);
			}
			name.append(erased.getSimpleName().replaceAll("[^A-Za-z0-9_]", ""));
			for (ResolvedType parameter : type.getTypeParameters()) {
				name.append(name(parameter, 0));
			}
			return name.toString();
		}

		private static String capitalize(String text) {
			return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
		}

	}

}
