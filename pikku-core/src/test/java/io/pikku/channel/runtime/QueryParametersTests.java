package io.pikku.channel.runtime;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QueryParameters}.
 */
class QueryParametersTests {

	@Test
	void decodesNamesAndValuesInOrderWithRepeatedParameters() {
		assertThat(QueryParameters.parse("name=Ann%20B.&tag=a%26b&tag=c&flag&=x&&empty=")).containsExactly(
				Map.entry("name", List.of("Ann B.")), Map.entry("tag", List.of("a&b", "c")),
				Map.entry("flag", List.of("")), Map.entry("", List.of("x")), Map.entry("empty", List.of("")));
	}

	@Test
	void keepsInvalidEncodingAsItIsAndReadsNothingFromNoQuery() {
		assertThat(QueryParameters.parse("bad=%zz")).containsExactly(Map.entry("bad", List.of("%zz")));
		assertThat(QueryParameters.parse(null)).isEmpty();
		assertThat(QueryParameters.parse("")).isEmpty();
	}

}
