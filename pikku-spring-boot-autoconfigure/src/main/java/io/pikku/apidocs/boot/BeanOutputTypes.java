package io.pikku.apidocs.boot;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import io.pikku.apidocs.FunctionOutputTypes;
import io.pikku.channel.PikkuFunction;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;

/**
 * The output types of {@link PikkuFunction} beans, read from the generic return types of
 * the {@code @Bean} methods that made them: {@code PikkuFunction<SendMessage, Sent>}
 * answers {@code Sent}; {@code CompletionStage<T>}, {@code CompletableFuture<T>} and
 * Reactor's {@code Mono<T>} (or any single-value type of Spring's
 * {@link ReactiveAdapterRegistry}) answer {@code T}. A function made outside a
 * {@code @Bean} method says its type with {@link PikkuFunction.Builder#returns(Class)}.
 */
public final class BeanOutputTypes implements FunctionOutputTypes {

	private final Map<PikkuFunction<?, ?>, Type> types;

	private BeanOutputTypes(Map<PikkuFunction<?, ?>, Type> types) {
		this.types = types;
	}

	/**
	 * Reads the output types of every {@link PikkuFunction} singleton bean.
	 * @param beanFactory the application's bean factory
	 * @return the output types
	 */
	public static BeanOutputTypes of(ConfigurableListableBeanFactory beanFactory) {
		Map<PikkuFunction<?, ?>, Type> types = new IdentityHashMap<>();
		for (String name : beanFactory.getBeanNamesForType(PikkuFunction.class, false, false)) {
			ResolvableType declared = declaredType(beanFactory, name);
			Type output = (declared != null) ? unwrap(declared.as(PikkuFunction.class).getGeneric(1)) : null;
			if (output != null && beanFactory.getBean(name) instanceof PikkuFunction<?, ?> function) {
				types.put(function, output);
			}
		}
		return new BeanOutputTypes(types);
	}

	private static @Nullable ResolvableType declaredType(ConfigurableListableBeanFactory beanFactory, String name) {
		BeanDefinition definition;
		try {
			definition = beanFactory.getMergedBeanDefinition(name);
		}
		catch (NoSuchBeanDefinitionException ex) {
			return null;
		}
		ResolvableType type = definition.getResolvableType();
		if (type.hasGenerics() || !(definition instanceof RootBeanDefinition root)) {
			return type;
		}
		Method factoryMethod = root.getResolvedFactoryMethod();
		return (factoryMethod != null) ? ResolvableType.forMethodReturnType(factoryMethod) : type;
	}

	/**
	 * The type a function's declared result stands for: the result itself, or what a
	 * {@code CompletionStage}, {@code Mono} or other single-value asynchronous type
	 * completes with.
	 * @param result the declared result type
	 * @return the output type, or {@code null} when it says nothing ({@code Object},
	 * {@code ?}, a stream of values)
	 */
	static @Nullable Type unwrap(ResolvableType result) {
		Class<?> raw = result.resolve();
		if (raw == null || raw == Object.class) {
			return null;
		}
		if (CompletionStage.class.isAssignableFrom(raw)) {
			return unwrap(result.as(CompletionStage.class).getGeneric(0));
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(raw);
		if (adapter != null) {
			if (adapter.isNoValue()) {
				return Void.class;
			}
			return adapter.isMultiValue() ? null : unwrap(result.getGeneric(0));
		}
		return resolved(result);
	}

	/** The type with every type variable replaced by what it stands for here. */
	private static Type resolved(ResolvableType type) {
		Class<?> raw = type.toClass();
		if (!type.hasGenerics()) {
			return raw;
		}
		ResolvableType[] generics = type.getGenerics();
		Type[] arguments = new Type[generics.length];
		for (int i = 0; i < generics.length; i++) {
			arguments[i] = resolved(generics[i]);
		}
		return new Parameterized(raw, arguments);
	}

	/** A generic type, e.g. {@code List<Todo>}, whose arguments are resolved. */
	private record Parameterized(Class<?> raw, Type[] arguments) implements ParameterizedType {

		@Override
		public Type[] getActualTypeArguments() {
			return this.arguments.clone();
		}

		@Override
		public Type getRawType() {
			return this.raw;
		}

		@Override
		public @Nullable Type getOwnerType() {
			return this.raw.getDeclaringClass();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof ParameterizedType type && this.raw.equals(type.getRawType())
					&& Arrays.equals(this.arguments, type.getActualTypeArguments())
					&& Objects.equals(getOwnerType(), type.getOwnerType());
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.arguments) ^ this.raw.hashCode() ^ Objects.hashCode(getOwnerType());
		}

		@Override
		public String getTypeName() {
			return this.raw.getName()
					+ Arrays.stream(this.arguments).map(Type::getTypeName).collect(Collectors.joining(", ", "<", ">"));
		}

		@Override
		public String toString() {
			return getTypeName();
		}

	}

	@Override
	public @Nullable Type outputType(PikkuFunction<?, ?> function) {
		return this.types.get(function);
	}

}
