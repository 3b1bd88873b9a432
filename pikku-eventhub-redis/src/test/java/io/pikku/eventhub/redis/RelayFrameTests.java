package io.pikku.eventhub.redis;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RelayFrame}.
 */
class RelayFrameTests {

	private static final byte[] PAYLOAD = "{\"topic\":\"t\",\"text\":\"\u4e2d\\n\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void aFrameReadsBackAsItWasWritten() {
		byte[] data = RelayFrame.encode(0x0123456789abcdefL, 42, 1_700_000_000_000L, "c-\u00e9 1", PAYLOAD);
		RelayFrame frame = RelayFrame.decode(data);
		assertThat(frame.origin()).isEqualTo(0x0123456789abcdefL);
		assertThat(frame.sequence()).isEqualTo(42);
		assertThat(frame.sentAt()).isEqualTo(1_700_000_000_000L);
		assertThat(frame.exclude()).isEqualTo("c-\u00e9 1");
		assertThat(frame.payload()).isEqualTo(new String(PAYLOAD, StandardCharsets.UTF_8));
	}

	@Test
	void aFrameWithoutExcludedChannelAndANegativeOriginReadsBack() {
		RelayFrame frame = RelayFrame.decode(RelayFrame.encode(-1L, 1, 0, null, PAYLOAD));
		assertThat(frame.origin()).isEqualTo(-1L);
		assertThat(frame.exclude()).isNull();
		assertThat(frame.payload()).isEqualTo(new String(PAYLOAD, StandardCharsets.UTF_8));
	}

	@Test
	void theOriginIsReadWithoutDecoding() {
		byte[] data = RelayFrame.encode(0xfedcba9876543210L, 1, 0, null, PAYLOAD);
		assertThat(RelayFrame.isFrom(data, 0xfedcba9876543210L)).isTrue();
		assertThat(RelayFrame.isFrom(data, 0xfedcba9876543211L)).isFalse();
		assertThat(RelayFrame.isFrom(new byte[3], 0)).isFalse();
	}

	@Test
	void whatIsNotAFrameIsRefused() {
		for (String text : new String[] { "", "hello", "0123456789abcdef", "0123456789abcdef 1 2 3:ab",
				"0123456789abcdeg 1 2 0:\n{}", "0123456789abcdef x 2 0:\n{}", "0123456789abcdef 1 2 5:ab\n{}",
				"0123456789abcdef 1 2 99999999999999999999:\n{}", "0123456789abcdef 1 2 2147483647:\n{}",
				"0123456789abcdef 1 2 2147483640:\n{}", "0123456789abcdef 1 2 4294967295:\n{}" }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> RelayFrame.decode(text.getBytes(StandardCharsets.UTF_8)))
				.withMessageContaining("relay frame");
		}
	}

}
