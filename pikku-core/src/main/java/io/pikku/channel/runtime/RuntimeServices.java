package io.pikku.channel.runtime;

import java.util.List;

import io.pikku.channel.ErrorTranslator;
import io.pikku.channel.PikkuException;
import io.pikku.eventhub.AbstractEventHub;
import io.pikku.store.ChannelStore;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the parts of a runtime share, instead of a back-reference to the runtime.
 *
 * @param settings how frames are read and answered
 * @param mapper the strict mapper of client frames and replies
 * @param openingDataMapper the application's mapper, for opening data
 * @param validator the Bean Validation validator, or {@code null}
 * @param callScope what a function's thread sees while it runs
 * @param resultAdapter turns other asynchronous results into stages
 * @param errorTranslators the application's error translators, asked first
 * @param listeners the listeners
 * @param eventHub the EventHub
 * @param channelStore the channel store
 * @param writes the store and EventHub writes a graceful stop waits for
 * @param replies writes replies and error frames
 * @param sessionCodec writes sessions into the channel store
 */
record RuntimeServices(ChannelSettings settings, JsonMapper mapper, JsonMapper openingDataMapper,
		@Nullable Validator validator, CallScope callScope, ResultAdapter resultAdapter,
		List<ErrorTranslator> errorTranslators, Listeners listeners, AbstractEventHub eventHub,
		ChannelStore channelStore, PendingWrites writes, ReplyWriter replies, SessionCodec sessionCodec) {

	/**
	 * The client-facing error for an exception: the application's translators first, then
	 * the built-in ones.
	 * @param exception what a function or hook threw
	 * @return the error, or {@code null} if it is internal
	 */
	@Nullable PikkuException clientError(Throwable exception) {
		for (ErrorTranslator translator : this.errorTranslators) {
			PikkuException error = translator.translate(exception);
			if (error != null) {
				return error;
			}
		}
		return Errors.toClientError(exception);
	}

	JsonNode tree(@Nullable Object value) {
		return this.mapper.valueToTree(value);
	}

}
