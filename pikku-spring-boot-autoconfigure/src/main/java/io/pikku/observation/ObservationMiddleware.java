package io.pikku.observation;

import java.util.concurrent.CompletionStage;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.pikku.channel.PikkuMiddleware;
import org.jspecify.annotations.Nullable;

/**
 * Wire middleware that observes each call as {@code pikku.call}, with the low cardinality
 * keys {@code channel} and {@code action}, so that Micrometer Tracing shows a span per
 * channel and action. An asynchronous result is observed until it completes.
 */
public final class ObservationMiddleware implements PikkuMiddleware {

	/** The observation's name. */
	public static final String NAME = "pikku.call";

	private final ObservationRegistry registry;

	/**
	 * Middleware that reports to the given registry.
	 * @param registry the registry
	 */
	public ObservationMiddleware(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object handle(Call call, Next next) throws Exception {
		String action = switch (call.kind()) {
			case ACTION -> String.valueOf(call.action());
			case MESSAGE -> "onMessage";
			case CONNECT -> "onConnect";
			case DISCONNECT -> "onDisconnect";
		};
		String channel = call.channel().name();
		Observation observation = Observation.createNotStarted(NAME, this.registry)
			.contextualName(channel + " " + action)
			.lowCardinalityKeyValue("channel", channel)
			.lowCardinalityKeyValue("action", action)
			.start();
		Object result;
		try (Observation.Scope scope = observation.openScope()) {
			result = next.proceed();
		}
		catch (Exception | Error ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		if (result instanceof CompletionStage<?> stage) {
			return stage.whenComplete((value, failure) -> {
				if (failure != null) {
					observation.error(failure);
				}
				observation.stop();
			});
		}
		observation.stop();
		return result;
	}

}
