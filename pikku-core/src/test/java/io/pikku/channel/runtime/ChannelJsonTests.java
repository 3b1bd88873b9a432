package io.pikku.channel.runtime;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link ChannelJson} and the buffer recyclers of the mapper it builds.
 */
class ChannelJsonTests {

	@Test
	void theStrictMapperRecyclesBuffersPerPlatformThreadAndLeavesTheApplicationsMapperAlone() {
		JsonMapper application = JsonMapper.builder().build();
		JsonMapper strict = ChannelJson.strict(application);
		assertThat(pool(strict)).isInstanceOf(PlatformThreadRecyclerPool.class);
		assertThat(pool(application)).isInstanceOf(JsonRecyclerPools.defaultPool().getClass());
	}

	@Test
	void aPoolTheApplicationChoseIsKept() {
		RecyclerPool<BufferRecycler> bounded = JsonRecyclerPools.newBoundedPool(4);
		JsonMapper application = JsonMapper.builder(JsonFactory.builder().recyclerPool(bounded).build()).build();
		assertThat(pool(ChannelJson.strict(application))).isSameAs(bounded);
	}

	@Test
	void theApplicationsFeaturesAndModulesStayOnTheStrictMapper() {
		SimpleModule money = new SimpleModule("money").addSerializer(Money.class, new MoneySerializer());
		JsonMapper application = JsonMapper.builder()
			.enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
			.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
			.addModule(money)
			.build();
		JsonMapper strict = ChannelJson.strict(application);
		assertThat(strict.readTree("{'title':'x'}").path("title").stringValue()).isEqualTo("x");
		assertThat(strict.writeValueAsString("é")).isEqualTo("\"\\u00E9\"");
		assertThat(strict.writeValueAsString(new Money(150))).isEqualTo("\"1.50 EUR\"");
		assertThatExceptionOfType(DatabindException.class)
			.isThrownBy(() -> strict.readValue("{\"title\":123}", Todo.class));
		assertThat(application.readValue("{\"title\":123}", Todo.class).title()).isEqualTo("123");
	}

	@Test
	void aPlatformThreadKeepsItsOwnRecyclerAndGivesNothingToTheSharedPool() throws Exception {
		RecyclerPool<BufferRecycler> shared = JsonRecyclerPools.newConcurrentDequePool();
		PlatformThreadRecyclerPool pool = new PlatformThreadRecyclerPool(shared);
		BufferRecycler first = pool.acquireAndLinkPooled();
		first.releaseToPool();
		BufferRecycler again = pool.acquireAndLinkPooled();
		again.releaseToPool();
		BufferRecycler otherThreads = CompletableFuture.supplyAsync(pool::acquireAndLinkPooled).get();
		assertThat(again).isSameAs(first);
		assertThat(otherThreads).isNotSameAs(first);
		assertThat(shared.pooledCount()).isZero();
	}

	@Test
	void aVirtualThreadTakesItsRecyclerFromTheSharedPoolAndGivesItBack() {
		RecyclerPool<BufferRecycler> shared = JsonRecyclerPools.newConcurrentDequePool();
		PlatformThreadRecyclerPool pool = new PlatformThreadRecyclerPool(shared, (thread) -> true);
		BufferRecycler first = pool.acquireAndLinkPooled();
		assertThat(shared.pooledCount()).isZero();
		first.releaseToPool();
		assertThat(shared.pooledCount()).isOne();
		assertThat(pool.acquireAndLinkPooled()).isSameAs(first);
		assertThat(shared.pooledCount()).isZero();
	}

	@Test
	void onlyVirtualThreadsAreToldApart() throws Exception {
		assertThat(PlatformThreadRecyclerPool.isVirtual(Thread.currentThread())).isFalse();
		Method ofVirtual = methodOrNull(Thread.class, "ofVirtual");
		assumeThat(ofVirtual).as("virtual threads (Java 21)").isNotNull();
		Object builder = ofVirtual.invoke(null);
		AtomicBoolean virtual = new AtomicBoolean();
		Runnable task = () -> virtual.set(PlatformThreadRecyclerPool.isVirtual(Thread.currentThread()));
		Thread thread = (Thread) Class.forName("java.lang.Thread$Builder")
			.getMethod("start", Runnable.class)
			.invoke(builder, task);
		thread.join();
		assertThat(virtual).isTrue();
	}

	private static Method methodOrNull(Class<?> type, String name) {
		try {
			return type.getMethod(name);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	private static RecyclerPool<BufferRecycler> pool(JsonMapper mapper) {
		return mapper.tokenStreamFactory()._getRecyclerPool();
	}

	record Todo(String title) {
	}

	record Money(long cents) {
	}

	static final class MoneySerializer extends StdSerializer<Money> {

		MoneySerializer() {
			super(Money.class);
		}

		@Override
		public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
			generator.writeString(String.format("%d.%02d EUR", value.cents() / 100, value.cents() % 100));
		}

	}

}
