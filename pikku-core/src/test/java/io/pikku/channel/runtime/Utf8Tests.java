package io.pikku.channel.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Utf8}: the same answer as encoding, at every limit around the size.
 */
class Utf8Tests {

	@Test
	void exceedsAnswersAsEncodingWouldAtEveryLimitAroundTheSize() {
		for (String text : List.of("", "plain ascii", "caf\u00e9 \u00fcber", "\u20ac\u4e2d\u6587",
				"\ud83d\ude00 smile \ud83d\udc4d", "mixed a\u00e9\u20ac\ud83d\ude00z")) {
			int bytes = text.getBytes(StandardCharsets.UTF_8).length;
			for (int limit = Math.max(0, bytes - 3); limit <= bytes + 3; limit++) {
				assertThat(Utf8.exceeds(text, limit)).as("'%s' (%d bytes) over %d", text, bytes, limit)
					.isEqualTo(bytes > limit);
			}
		}
	}

}
