package io.pikku.autoconfigure.eventhub.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.pikku.eventhub.redis.RedisEventHub;
import io.pikku.store.redis.RedisChannelStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Refreshes this instance's records and topic memberships in Redis every third of the
 * instance TTL, so that they outlive the instance by at most that TTL.
 */
final class RedisPresenceHeartbeat implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisPresenceHeartbeat.class);

	private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

	private final @Nullable RedisEventHub eventHub;

	private final @Nullable RedisChannelStore channelStore;

	private final Duration interval;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> beat;

	RedisPresenceHeartbeat(@Nullable RedisEventHub eventHub, @Nullable RedisChannelStore channelStore,
			Duration instanceTtl) {
		this.eventHub = eventHub;
		this.channelStore = channelStore;
		this.interval = instanceTtl.dividedBy(3);
	}

	@Override
	public synchronized void start() {
		if (this.eventHub == null && this.channelStore == null) {
			return;
		}
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "pikku-redis-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler = scheduler;
		long millis = Math.max(1, this.interval.toMillis());
		this.beat = scheduler.scheduleAtFixedRate(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
	}

	private void refresh() {
		CompletionStage<Void> records = (this.channelStore != null) ? this.channelStore.refresh() : DONE;
		records.thenCompose((ignored) -> (this.eventHub != null) ? this.eventHub.refresh() : DONE)
			.whenComplete((ok, ex) -> {
				if (ex != null) {
					logger.warn("Could not refresh this instance's presence in Redis: " + ex);
				}
			});
	}

	@Override
	public synchronized void stop() {
		if (this.beat != null) {
			this.beat.cancel(false);
		}
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		this.beat = null;
		this.scheduler = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
