package io.pikku.channel.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;

/**
 * Jackson's buffer recyclers for the runtime's mapper: one per platform thread, and the
 * shared pool on virtual threads.
 * <p>
 * Jackson's default pool is one concurrent deque that every parse and every write takes a
 * recycler from and gives it back to: the few event loops of a reactive server, or the
 * container threads of a servlet one, each doing that for every frame, collide on its
 * ends. Those threads live long, so a recycler kept per thread is never contended and
 * always warm. A virtual thread is started for a task and dropped, so it would fill a new
 * one each time: it takes one from the shared pool instead.
 */
final class PlatformThreadRecyclerPool implements RecyclerPool<BufferRecycler> {

	private static final long serialVersionUID = 1L;

	private static final RecyclerPool<BufferRecycler> PER_THREAD = JsonRecyclerPools.threadLocalPool();

	/** {@code Thread.isVirtual()}, or {@code null} before Java 21. */
	private static final @Nullable MethodHandle IS_VIRTUAL = isVirtual();

	private final RecyclerPool<BufferRecycler> shared;

	private final transient Predicate<Thread> virtual;

	/**
	 * A pool that recycles per platform thread.
	 * @param shared the pool virtual threads use
	 */
	PlatformThreadRecyclerPool(RecyclerPool<BufferRecycler> shared) {
		this(shared, PlatformThreadRecyclerPool::isVirtual);
	}

	PlatformThreadRecyclerPool(RecyclerPool<BufferRecycler> shared, Predicate<Thread> virtual) {
		this.shared = shared;
		this.virtual = virtual;
	}

	@Override
	public BufferRecycler acquireAndLinkPooled() {
		// the per-thread pool links nothing: its recyclers are never given back
		return this.virtual.test(Thread.currentThread()) ? this.shared.acquireAndLinkPooled()
				: PER_THREAD.acquireAndLinkPooled();
	}

	@Override
	public BufferRecycler acquirePooled() {
		return this.virtual.test(Thread.currentThread()) ? this.shared.acquirePooled() : PER_THREAD.acquirePooled();
	}

	@Override
	public void releasePooled(BufferRecycler pooled) {
		if (this.virtual.test(Thread.currentThread())) {
			this.shared.releasePooled(pooled);
		}
	}

	@Override
	public int pooledCount() {
		return this.shared.pooledCount();
	}

	@Override
	public boolean clear() {
		return this.shared.clear();
	}

	/** After Java serialization: the same pool, with the same virtual-thread test. */
	private Object readResolve() {
		return new PlatformThreadRecyclerPool(this.shared);
	}

	static boolean isVirtual(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static @Nullable MethodHandle isVirtual() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
