package io.pikku.store;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChannelRecord}.
 */
class ChannelRecordTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@Test
	void aRecordIsReadFromTheFieldsOfAHash() {
		ChannelRecord record = ChannelRecord
			.fromFields("c-1", Map.of("channelName", "chat", "openingData", "{\"room\":\"a\"}", "userId", "alice",
					"session", "{\"userId\":\"alice\"}", "state", "3"), MAPPER)
			.orElseThrow();
		assertThat(record).isEqualTo(new ChannelRecord("c-1", "chat", MAPPER.readTree("{\"room\":\"a\"}"), "alice",
				MAPPER.readTree("{\"userId\":\"alice\"}"), MAPPER.readTree("3")));
	}

	@Test
	void missingOptionalFieldsAreNullAndOpeningDataIsEmpty() {
		assertThat(ChannelRecord.fromFields("c-1", Map.of("channelName", "chat"), MAPPER))
			.contains(new ChannelRecord("c-1", "chat", MAPPER.readTree("{}"), null, null, null));
	}

	@Test
	void fieldsWithoutAChannelNameHoldNoRecord() {
		assertThat(ChannelRecord.fromFields("c-1", Map.of(), MAPPER)).isEmpty();
		assertThat(ChannelRecord.fromFields("c-1", Map.of("state", "1"), MAPPER)).isEmpty();
	}

}
