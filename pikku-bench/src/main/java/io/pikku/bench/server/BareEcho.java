package io.pikku.bench.server;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON work of the bare handlers, written as a Spring user would write it: a frame is
 * bound in one pass with Jackson to the record its {@code action} names (the same records
 * and constraints as our {@code echo} channel's inputs), validated with Bean Validation
 * as ours validates its input, and answered with a record written by Jackson. Topics are
 * a map of subscriber sets; a publish serializes its payload once and loops over the
 * subscribers.
 * <p>
 * Its mapper recycles Jackson's buffers per thread, as Pikku's runtime does on platform
 * threads: the fastest Jackson allows on a few long-lived threads, where its default pool
 * (one concurrent deque per factory) is contended on every frame.
 *
 * @param <S> what a subscriber is to the handler (a session, a sink)
 */
final class BareEcho<S> {

	private final JsonMapper mapper;

	private final Validator validator;

	private final BiConsumer<S, String> deliver;

	private final Map<String, Set<S>> topics = new ConcurrentHashMap<>();

	/**
	 * @param validator Boot's validator
	 * @param deliver sends a text to a subscriber; called from the publisher's thread
	 */
	BareEcho(Validator validator, BiConsumer<S, String> deliver) {
		this.mapper = JsonMapper
			.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
			.build();
		this.validator = validator;
		this.deliver = deliver;
	}

	/**
	 * Does what a frame asks.
	 * @param sender who sent it
	 * @param frame the frame
	 * @return the reply to the sender
	 */
	String handle(S sender, String frame) {
		Call call;
		try {
			call = this.mapper.readValue(frame, Call.class);
		}
		catch (JacksonException ex) {
			return this.mapper.writeValueAsString(new Failure("invalid_request"));
		}
		if (!this.validator.validate(call).isEmpty()) {
			return this.mapper.writeValueAsString(new Failure("validation_failed"));
		}
		Object reply;
		if (call instanceof Echo echo) {
			reply = new Echoed(echo.text());
		}
		else if (call instanceof Subscribe subscribe) {
			this.topics.computeIfAbsent(subscribe.topic(), (key) -> ConcurrentHashMap.newKeySet()).add(sender);
			reply = new Subscribed(subscribe.topic());
		}
		else {
			Publish publish = (Publish) call;
			String delivery = this.mapper.writeValueAsString(publish.payload());
			for (S subscriber : this.topics.getOrDefault(publish.topic(), Set.of())) {
				this.deliver.accept(subscriber, delivery);
			}
			reply = new Published();
		}
		return this.mapper.writeValueAsString(reply);
	}

	/**
	 * Forgets a closed connection's subscriptions.
	 * @param subscriber the connection
	 */
	void remove(S subscriber) {
		this.topics.values().forEach((subscribers) -> subscribers.remove(subscriber));
	}

	/** A frame, by its {@code action}. */
	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
	@JsonSubTypes({ @JsonSubTypes.Type(value = Echo.class, name = "echo"),
			@JsonSubTypes.Type(value = Subscribe.class, name = "subscribe"),
			@JsonSubTypes.Type(value = Publish.class, name = "publish") })
	sealed interface Call permits Echo, Subscribe, Publish {

	}

	record Echo(@NotNull @Size(min = 1, max = 10000) String text) implements Call {
	}

	record Subscribe(@NotNull @Size(min = 1, max = 200) String topic) implements Call {
	}

	record Publish(@NotNull @Size(min = 1, max = 200) String topic, @NotNull JsonNode payload) implements Call {
	}

	record Echoed(String action, String text) {

		Echoed(String text) {
			this("echo", text);
		}

	}

	record Subscribed(String action, boolean subscribed, String topic) {

		Subscribed(String topic) {
			this("subscribe", true, topic);
		}

	}

	record Published(String action, boolean published) {

		Published() {
			this("publish", true);
		}

	}

	record Failure(String error) {
	}

}
