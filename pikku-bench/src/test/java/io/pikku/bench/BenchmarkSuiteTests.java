package io.pikku.bench;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of the servers in each round.
 */
class BenchmarkSuiteTests {

	@Test
	void overAsManyRoundsAsAStackHasServersEachServerRunsInEachPlaceOnce() {
		Map<Stack, List<String>> stacks = new EnumMap<>(Stack.class);
		stacks.put(Stack.SERVLET, List.of("ours", "off", "raw", "stomp"));
		stacks.put(Stack.REACTIVE, List.of("ours", "off", "bare"));
		assertThat(BenchmarkSuite.inTurn(stacks, 1)).isEqualTo(stacks);
		assertThat(BenchmarkSuite.inTurn(stacks, 2).get(Stack.SERVLET)).containsExactly("off", "raw", "stomp", "ours");
		assertThat(BenchmarkSuite.inTurn(stacks, 2).get(Stack.REACTIVE)).containsExactly("off", "bare", "ours");
		assertThat(BenchmarkSuite.inTurn(stacks, 3).get(Stack.REACTIVE)).containsExactly("bare", "ours", "off");
		assertThat(BenchmarkSuite.inTurn(stacks, 4).get(Stack.REACTIVE)).containsExactly("ours", "off", "bare");
		assertThat(BenchmarkSuite.inTurn(stacks, 4).get(Stack.SERVLET)).containsExactly("stomp", "ours", "off", "raw");
		assertThat(BenchmarkSuite.inTurn(stacks, 2).keySet()).containsExactly(Stack.SERVLET, Stack.REACTIVE);
	}

	@Test
	void everyOtherPassOfARoundRunsTheServersInReverse() {
		List<String> servers = List.of("ours", "off", "bare");
		assertThat(BenchmarkSuite.inPass(servers, 1)).containsExactly("ours", "off", "bare");
		assertThat(BenchmarkSuite.inPass(servers, 2)).containsExactly("bare", "off", "ours");
		assertThat(BenchmarkSuite.inPass(servers, 3)).containsExactly("ours", "off", "bare");
		assertThat(servers).containsExactly("ours", "off", "bare");
	}

}
