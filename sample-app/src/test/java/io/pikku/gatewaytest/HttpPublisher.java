package io.pikku.gatewaytest;

import java.util.concurrent.CompletionStage;

import io.pikku.eventhub.EventHub;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An HTTP controller that publishes, from outside any channel. Outside the sample's
 * packages so that only the tests that ask for it get it.
 */
@RestController
public class HttpPublisher {

	private final EventHub eventHub;

	public HttpPublisher(EventHub eventHub) {
		this.eventHub = eventHub;
	}

	@PostMapping("/test/publish")
	CompletionStage<String> publish(@RequestParam String topic, @RequestBody JsonNode payload) {
		return this.eventHub.publish(topic, null, payload).thenApply((ignored) -> "published");
	}

}
