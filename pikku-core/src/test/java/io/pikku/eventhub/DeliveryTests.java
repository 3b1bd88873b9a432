package io.pikku.eventhub;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Delivery}.
 */
class DeliveryTests {

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	@Test
	void aTreePayloadIsFramedWithoutBeingChanged() {
		JsonNode payload = this.mapper.readTree("{\"text\":\"hi\",\"n\":1}");
		Delivery delivery = Delivery.of("room:a", payload, this.mapper);
		assertThat(delivery.text()).isEqualTo("{\"topic\":\"room:a\",\"text\":\"hi\",\"n\":1}");
		assertThat(payload.toString()).isEqualTo("{\"text\":\"hi\",\"n\":1}");
	}

	@Test
	void numbersKeepTheirExactValue() {
		JsonNode payload = this.mapper.readTree("{\"big\":123456789012345678901234567890,\"d\":0.1000000000000000055}");
		assertThat(Delivery.of("t", payload, this.mapper).text())
			.isEqualTo("{\"topic\":\"t\",\"big\":123456789012345678901234567890,\"d\":0.1000000000000000055}");
		assertThat(
				Delivery.of("t", Map.of("d", new BigDecimal("1e400")), this.mapper).message().path("d").decimalValue())
			.isEqualByComparingTo("1e400");
	}

	@Test
	void textTreeAndBytesAgree() {
		Delivery delivery = Delivery.of("pikku:scope:echo:\u00e9\ud83d\ude00", Map.of("v", "\u4e2d"), this.mapper);
		assertThat(delivery.text()).isEqualTo("{\"topic\":\"\u00e9\ud83d\ude00\",\"v\":\"\u4e2d\"}");
		assertThat(new String(delivery.utf8(), StandardCharsets.UTF_8)).isEqualTo(delivery.text());
		assertThat(delivery.message().path("v").stringValue()).isEqualTo("\u4e2d");
		Delivery relayed = Delivery.ofText("t", "{\"topic\":\"t\",\"v\":\"\u4e2d\"}", this.mapper);
		assertThat(relayed.utf8()).isEqualTo("{\"topic\":\"t\",\"v\":\"\u4e2d\"}".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aMissingPayloadIsWrappedAsNull() {
		assertThat(Delivery.of("t", null, this.mapper).text()).isEqualTo("{\"topic\":\"t\",\"data\":null}");
	}

}
