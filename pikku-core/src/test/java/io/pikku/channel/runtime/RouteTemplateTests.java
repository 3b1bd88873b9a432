package io.pikku.channel.runtime;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RouteTemplate}.
 */
class RouteTemplateTests {

	@Test
	void literalRouteMatchesOnlyItself() {
		RouteTemplate template = RouteTemplate.parse("/events/live");
		assertThat(template.match("/events/live")).isEmpty();
		assertThat(template.match("/events/dead")).isNull();
		assertThat(template.match("/events")).isNull();
		assertThat(template.match("events/live")).isNull();
	}

	@Test
	void rootRouteMatchesOnlyTheRoot() {
		RouteTemplate template = RouteTemplate.parse("/");
		assertThat(template.match("/")).isEmpty();
		assertThat(template.match("/x")).isNull();
	}

	@Test
	void variableSegmentsAreCaptured() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}/users/{user}");
		assertThat(template.match("/chat/general/users/alice")).containsExactly(Map.entry("room", "general"),
				Map.entry("user", "alice"));
	}

	@Test
	void variableSegmentsArePercentDecoded() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}");
		assertThat(template.match("/chat/caf%C3%A9%20au%20lait")).containsExactly(Map.entry("room", "café au lait"));
		assertThat(template.match("/chat/a%2Fb")).containsExactly(Map.entry("room", "a/b"));
	}

	@Test
	void plusInAVariableStaysAPlus() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}");
		assertThat(template.match("/chat/a+b")).containsExactly(Map.entry("room", "a+b"));
		assertThat(template.match("/chat/a+b%21")).containsExactly(Map.entry("room", "a+b!"));
	}

	@Test
	void literalSegmentsAreComparedCaseSensitively() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}");
		assertThat(template.match("/Chat/general")).isNull();
	}

	@Test
	void literalSegmentsMatchTheirPercentEncodedForm() {
		assertThat(RouteTemplate.parse("/caf\u00e9/{room}").match("/caf%C3%A9/general"))
			.containsExactly(Map.entry("room", "general"));
		assertThat(RouteTemplate.parse("/chat/{room}").match("/ch%61t/general"))
			.containsExactly(Map.entry("room", "general"));
	}

	@Test
	void variableCountTellsSpecificity() {
		assertThat(RouteTemplate.parse("/a/b").variableCount()).isZero();
		assertThat(RouteTemplate.parse("/a/{x}/{y}").variableCount()).isEqualTo(2);
	}

	@Test
	void emptyVariableSegmentDoesNotMatch() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}/messages");
		assertThat(template.match("/chat//messages")).isNull();
		assertThat(RouteTemplate.parse("/chat/{room}").match("/chat/")).isNull();
	}

	@Test
	void segmentCountMismatchDoesNotMatch() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}");
		assertThat(template.match("/chat")).isNull();
		assertThat(template.match("/chat/general/extra")).isNull();
	}

	@Test
	void trailingSlashDoesNotMatch() {
		assertThat(RouteTemplate.parse("/chat/{room}").match("/chat/general/")).isNull();
		assertThat(RouteTemplate.parse("/events").match("/events/")).isNull();
	}

	@Test
	void unclosedVariableIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteTemplate.parse("/a/{b"))
			.withMessageContaining("/a/{b")
			.withMessageContaining("malformed");
	}

	@Test
	void variableInsideALiteralSegmentIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteTemplate.parse("/a/x{b}"))
			.withMessageContaining("x{b}");
	}

	@Test
	void duplicateVariableIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteTemplate.parse("/a/{b}/{b}"))
			.withMessageContaining("'b' twice");
	}

	@Test
	void routeWithoutLeadingSlashIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteTemplate.parse("a/{b}"))
			.withMessageContaining("must start with '/'");
	}

	@Test
	void routeIsKeptAsDeclared() {
		RouteTemplate template = RouteTemplate.parse("/chat/{room}");
		assertThat(template.route()).isEqualTo("/chat/{room}");
		assertThat(template).hasToString("/chat/{room}");
	}

	@Test
	void signaturesOfRoutesDifferingOnlyInVariableNamesAreEqual() {
		assertThat(RouteTemplate.parse("/a/{x}").signature()).isEqualTo(RouteTemplate.parse("/a/{y}").signature());
	}

	@Test
	void signaturesOfDifferentRoutesDiffer() {
		String signature = RouteTemplate.parse("/a/{x}").signature();
		assertThat(RouteTemplate.parse("/a/x").signature()).isNotEqualTo(signature);
		assertThat(RouteTemplate.parse("/b/{x}").signature()).isNotEqualTo(signature);
		assertThat(RouteTemplate.parse("/a/{x}/{y}").signature()).isNotEqualTo(signature);
	}

}
