package io.pikku.channel.runtime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.PikkuSession;
import io.pikku.store.ChannelRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records one connection in the channel store: when it opens, when its session or state
 * changes, when it closes. Every write is tracked for a graceful stop; a failed write is
 * logged, never thrown.
 */
final class ChannelRecorder {

	private static final Logger logger = LoggerFactory.getLogger(ChannelRecorder.class);

	private final RuntimeServices services;

	private final String id;

	private final String channelName;

	/** This connection's writes not complete yet. */
	private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

	/** Completes when this connection's writes so far are done; guarded by this. */
	private CompletableFuture<Void> written = DONE;

	ChannelRecorder(RuntimeServices services, String id, String channelName) {
		this.services = services;
		this.id = id;
		this.channelName = channelName;
	}

	void opened(Object openingData, @Nullable PikkuSession session) {
		record(this.services.channelStore()
			.add(new ChannelRecord(this.id, this.channelName, this.services.tree(openingData),
					(session != null) ? session.userId() : null, sessionTree(session), null)),
				"record");
	}

	void sessionChanged(@Nullable PikkuSession session) {
		record(this.services.channelStore()
			.setSession(this.id, (session != null) ? session.userId() : null, sessionTree(session)), "record session");
	}

	void stateChanged(@Nullable Object state) {
		JsonNode tree;
		try {
			tree = (state != null) ? this.services.tree(state) : null;
		}
		catch (RuntimeException ex) {
			logger.debug("State of connection {} is not writable as JSON; kept in memory only", this.id);
			return;
		}
		record(this.services.channelStore().setState(this.id, tree), "record state");
	}

	/**
	 * Leaves every topic and the store.
	 * @return completes when both are done
	 */
	CompletionStage<Void> forget() {
		CompletionStage<Void> unsubscribed = record(this.services.eventHub().channelClosed(this.id), "unsubscribe");
		CompletionStage<Void> forgotten = record(this.services.channelStore().remove(this.id), "forget");
		return unsubscribed.handle((ignored, failure) -> (Void) null)
			.thenCombine(forgotten.handle((ignored, failure) -> (Void) null), (a, b) -> null);
	}

	private @Nullable JsonNode sessionTree(@Nullable PikkuSession session) {
		if (session == null) {
			return null;
		}
		JsonNode tree = null;
		try {
			tree = this.services.sessionCodec().encode(session);
		}
		catch (RuntimeException ex) {
			logger.debug("Session of connection {} is not writable as JSON", this.id, ex);
		}
		if (tree != null) {
			return tree;
		}
		// its user id and expiry, as the plain codec reads them, so that it still expires
		ObjectNode minimal = this.services.mapper().createObjectNode();
		minimal.put("userId", session.userId());
		Instant expiresAt = session.expiresAt();
		if (expiresAt != null) {
			minimal.put("expiresAt", expiresAt.toEpochMilli());
		}
		return minimal;
	}

	/**
	 * Completes when this connection's writes started so far are done, e.g. before a
	 * stateless runtime answers an event.
	 * @return a stage that never fails
	 */
	synchronized CompletionStage<Void> written() {
		return this.written;
	}

	private CompletionStage<Void> record(CompletionStage<Void> update, String what) {
		CompletableFuture<Void> done = update.toCompletableFuture().handle((ignored, failure) -> null);
		synchronized (this) {
			this.written = this.written.isDone() ? done : CompletableFuture.allOf(this.written, done);
		}
		this.services.writes().track(update).whenComplete((ignored, failure) -> {
			if (failure != null) {
				logger.warn("Could not {} connection {} of channel '{}'", what, this.id, this.channelName, failure);
			}
		});
		return update;
	}

}
