package io.pikku.eventhub.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import io.pikku.test.EventHubContractTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedisKeys}.
 */
class RedisKeysTests {

	private final RedisKeys keys = new RedisKeys("pikku:");

	@Test
	void aTopicsKeyAndChannelShareOneSlotWhateverItsName() {
		for (String topic : topics()) {
			assertThat(SlotHash.getSlot(this.keys.topicMembers(topic)))
				.as("slot of the members and of the channel of %s", topic)
				.isEqualTo(SlotHash.getSlot(this.keys.events(topic)));
		}
	}

	@Test
	void everyTopicHasKeysAndChannelsOfItsOwn() {
		Set<String> names = new HashSet<>();
		for (String topic : topics()) {
			assertThat(names.add(this.keys.topicMembers(topic))).as("members of %s", topic).isTrue();
			assertThat(names.add(this.keys.events(topic))).as("channel of %s", topic).isTrue();
		}
		assertThat(names).doesNotContain(this.keys.runtime(), this.keys.channel("x"));
	}

	@Test
	void topicsSpreadOverTheSlots() {
		Set<Integer> slots = new HashSet<>();
		for (int i = 0; i < 1_000; i++) {
			slots.add(SlotHash.getSlot(this.keys.events("room:" + i)));
		}
		assertThat(slots).hasSizeGreaterThan(950);
	}

	@Test
	void aTopicNameCannotChooseItsHashTag() {
		String forged = "{" + RedisKeys.hashTag("room:a") + "}";
		assertThat(SlotHash.getSlot(this.keys.events(forged)))
			.isEqualTo(SlotHash.getSlot("{" + RedisKeys.hashTag(forged) + "}"));
		assertThat(this.keys.events("room:a")).startsWith("pikku:events:{" + RedisKeys.hashTag("room:a") + "}");
	}

	@Test
	void aPrefixWithABraceIsRefused() {
		for (String prefix : List.of("{a}:", "a{", "}")) {
			assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys(prefix))
				.withMessageContaining("hash tag");
		}
	}

	private static List<String> topics() {
		List<String> topics = new ArrayList<>(EventHubContractTests.HOSTILE_TOPICS);
		topics.add("room:a");
		topics.add("pikku:scope:echo:room:a");
		topics.add("pikku:scope:echo/inner:{x}");
		return topics;
	}

}
