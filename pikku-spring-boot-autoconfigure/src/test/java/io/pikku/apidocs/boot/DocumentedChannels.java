package io.pikku.apidocs.boot;

import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.eventhub.EventHub;
import io.pikku.test.EnableAutoConfigurationWithoutWebSecurity;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A small application whose channel the API docs describe.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfigurationWithoutWebSecurity
class DocumentedChannels {

	@Bean
	PikkuFunction<NewNote, CompletionStage<Note>> addNote(EventHub eventHub) {
		return PikkuFunction.builder(NewNote.class).summary("Adds a note").handler((input, context) -> {
			Note note = new Note(input.text());
			return eventHub.publish("notes:added", null, note).thenApply((published) -> note);
		}).build();
	}

	@Bean
	ChannelDefinition<?> notesChannel(PikkuFunction<NewNote, CompletionStage<Note>> addNote) {
		return ChannelDefinition.builder("notes", "/notes")
			.auth(false)
			.action("add", addNote)
			.publishes("notes:added", Note.class)
			.build();
	}

	record NewNote(@NotBlank @Size(max = 100) String text) {
	}

	record Note(String text) {
	}

}
