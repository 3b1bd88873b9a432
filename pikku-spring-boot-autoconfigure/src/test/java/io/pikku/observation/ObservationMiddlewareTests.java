package io.pikku.observation;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.TagMiddleware;
import io.pikku.channel.runtime.ChannelConnection;
import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.channel.runtime.OpenChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each call is observed as {@code pikku.call} with its channel and action, until an
 * asynchronous result completes; and while it runs the logging MDC names the call.
 */
class ObservationMiddlewareTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final CompletableFuture<Object> later = new CompletableFuture<>();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	ObservationMiddlewareTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStart(Observation.Context context) {
				ObservationMiddlewareTests.this.events.add("start " + describe(context));
			}

			@Override
			public void onError(Observation.Context context) {
				ObservationMiddlewareTests.this.events.add("error " + describe(context));
			}

			@Override
			public void onStop(Observation.Context context) {
				ObservationMiddlewareTests.this.events.add("stop " + describe(context));
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	private static String describe(Observation.Context context) {
		return context.getName() + " " + context.getLowCardinalityKeyValue("channel").getValue() + " "
				+ context.getLowCardinalityKeyValue("action").getValue();
	}

	private OpenChannel open() {
		PikkuFunction<Void, Object> mdc = PikkuFunction.of(Void.class,
				(input, context) -> Map.of("mdc", MDC.get("pikku.channel") + "/" + MDC.get("pikku.action") + "/"
						+ MDC.get("pikku.correlationId") + "/" + MDC.get("pikku.userId")));
		PikkuFunction<Void, Object> slow = PikkuFunction.of(Void.class, (input, context) -> this.later);
		PikkuFunction<Void, Object> fail = PikkuFunction.of(Void.class, (input, context) -> {
			throw new IllegalStateException("boom");
		});
		ChannelDefinition<?> definition = ChannelDefinition.builder("chat", "/chat")
			.auth(false)
			.action("mdc", mdc)
			.action("slow", slow)
			.action("fail", fail)
			.build();
		ChannelRuntime runtime = ChannelRuntime.builder(List.of(definition), JsonMapper.builder().build())
			.tagMiddleware(List.of(TagMiddleware.global(new ObservationMiddleware(this.registry))))
			.build();
		return runtime.open("chat", Map.of(), io.pikku.channel.PikkuSession.of("alice"), new ChannelConnection() {

			@Override
			public void sendText(String text) {
				ObservationMiddlewareTests.this.sent.add(text);
			}

			@Override
			public void sendBinary(ByteBuffer data) {
			}

			@Override
			public void close(int code, @Nullable String reason) {
			}

		});
	}

	@Test
	void eachCallIsObservedWithItsChannelAndAction() {
		OpenChannel channel = open();
		assertThat(this.events).containsExactly("start pikku.call chat onConnect", "stop pikku.call chat onConnect");
		this.events.clear();
		channel.handleText("{\"action\":\"mdc\",\"correlationId\":\"7\"}");
		assertThat(this.events).containsExactly("start pikku.call chat mdc", "stop pikku.call chat mdc");
	}

	@Test
	void theMdcNamesTheCallWhileItRunsAndIsClearedAfterwards() {
		OpenChannel channel = open();
		channel.handleText("{\"action\":\"mdc\",\"correlationId\":\"7\"}");
		assertThat(this.sent)
			.containsExactly("{\"action\":\"mdc\",\"correlationId\":\"7\",\"mdc\":\"chat/mdc/7/alice\"}");
		assertMdcHoldsNoCall();
		channel.handleText("{\"action\":\"mdc\"}");
		assertThat(this.sent).element(1).isEqualTo("{\"action\":\"mdc\",\"mdc\":\"chat/mdc/null/alice\"}");
		assertMdcHoldsNoCall();
	}

	@Test
	void aCallLeavesWhatElseTheMdcHoldsAlone() {
		OpenChannel channel = open();
		MDC.put("request", "r-1");
		try {
			channel.handleText("{\"action\":\"mdc\",\"correlationId\":\"7\"}");
			assertMdcHoldsNoCall();
			assertThat(MDC.get("request")).isEqualTo("r-1");
		}
		finally {
			MDC.remove("request");
		}
	}

	private static void assertMdcHoldsNoCall() {
		for (String key : List.of("pikku.channel", "pikku.channelId", "pikku.action", "pikku.correlationId",
				"pikku.userId")) {
			assertThat(MDC.get(key)).as(key).isNull();
		}
	}

	@Test
	void anAsynchronousCallIsObservedUntilItCompletes() {
		OpenChannel channel = open();
		this.events.clear();
		channel.handleText("{\"action\":\"slow\"}");
		assertThat(this.events).containsExactly("start pikku.call chat slow");
		this.later.complete(Map.of("done", true));
		assertThat(this.events).containsExactly("start pikku.call chat slow", "stop pikku.call chat slow");
	}

	@Test
	void aFailedCallIsObservedAsAnError() {
		OpenChannel channel = open();
		this.events.clear();
		channel.handleText("{\"action\":\"fail\"}");
		assertThat(this.events).containsExactly("start pikku.call chat fail", "error pikku.call chat fail",
				"stop pikku.call chat fail");
	}

}
