package io.pikku.channel.runtime;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIdentityInfo;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.ObjectIdGenerators;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ReplyWriter}: a reply written as text is the reply the tree would
 * give, whatever the result's type.
 */
class ReplyWriterTests {

	private static final JsonMapper MAPPER = ChannelJson.strict(JsonMapper.builder().build());

	private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

	private final ReplyWriter writer = new ReplyWriter(MAPPER, "correlationId");

	static Stream<Arguments> results() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("text", "hi");
		map.put("count", 2);
		return Stream.of(Arguments.of(new Text("hi")), Arguments.of(new Sparse("a", null)),
				Arguments.of(new Renamed("x")), Arguments.of(new Nested(new Text("in"), List.of(1, 2))),
				Arguments.of(new Empty()), Arguments.of(map), Arguments.of(Map.of()),
				Arguments.of(new Clash("mine", "t")), Arguments.of(new TypeClash("mine", "t")),
				Arguments.of(new Outer(new Clash("inner", "t"))), Arguments.of(new CorrelationClash(9)),
				Arguments.of(Map.of("action", "mine")), Arguments.of(new Dog("rex")), Arguments.of(new Extras()),
				Arguments.of(new Identified(4)), Arguments.of(new Wrapped("w")), Arguments.of("just text"),
				Arguments.of(List.of(1, 2)), Arguments.of(42));
	}

	@ParameterizedTest
	@MethodSource("results")
	void aReplyAsTextIsTheReplyAsATree(Object result) {
		for (ReplyTo replyTo : List.of(new ReplyTo("action", NODES.stringNode("send"), null),
				new ReplyTo("action", NODES.stringNode("send"), NODES.stringNode("c-1")),
				new ReplyTo("action", NODES.stringNode("send"), NODES.numberNode(7L)),
				new ReplyTo("action", NODES.stringNode("send"), NODES.numberNode(new BigDecimal("1.50"))),
				new ReplyTo("type", NODES.stringNode("a\"b\u00e9"), NODES.numberNode(1)))) {
			String text = this.writer.replyText(replyTo, result);
			JsonNode tree = this.writer.replyTree(replyTo, result);
			if (text != null) {
				assertThat(MAPPER.readTree(text)).as(text).isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(tree)));
				assertThat(text).as("the routing property comes first").startsWith("{\"" + replyTo.routingProperty());
			}
			else {
				assertThat(tree.path(replyTo.routingProperty())).isEqualTo(replyTo.routingValue());
			}
		}
	}

	@Test
	void aRecordIsWrittenInOnePassAndAMapIsSplicedWhileAClashOrANonObjectGoesToTheTree() {
		ReplyTo replyTo = new ReplyTo("action", NODES.stringNode("send"), NODES.numberNode(3));
		assertThat(this.writer.replyText(replyTo, new Text("hi")))
			.isEqualTo("{\"action\":\"send\",\"correlationId\":3,\"text\":\"hi\"}");
		assertThat(this.writer.replyText(replyTo, Map.of("text", "hi")))
			.isEqualTo("{\"action\":\"send\",\"correlationId\":3,\"text\":\"hi\"}");
		assertThat(this.writer.replyText(replyTo, new Clash("mine", "t"))).isNull();
		assertThat(this.writer.replyText(replyTo, new CorrelationClash(9))).isNull();
		assertThat(this.writer.replyText(replyTo, "just text")).isNull();
		assertThat(this.writer.writesInOnePass(Text.class)).isTrue();
		assertThat(this.writer.writesInOnePass(Map.of("text", "hi").getClass())).isFalse();
		assertThat(this.writer.replyText(new ReplyTo("type", NODES.stringNode("x"), null), new Clash("mine", "t")))
			.as("a result whose field clashes with one routing property, answering another")
			.isEqualTo("{\"type\":\"x\",\"action\":\"mine\",\"text\":\"t\"}");
		assertThat(this.writer.writesInOnePass(Clash.class)).isTrue();
	}

	@Test
	void aResultThatFailsToBeWrittenFailsTheReplyWithItsOwnError() {
		ReplyTo replyTo = new ReplyTo("action", NODES.stringNode("send"), null);
		for (int attempt = 0; attempt < 2; attempt++) {
			assertThatExceptionOfType(DatabindException.class)
				.isThrownBy(() -> this.writer.replyText(replyTo, new Failing()))
				.havingRootCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessage("no value");
		}
	}

	record Text(String text) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Sparse(String kept, @Nullable String dropped) {
	}

	record Renamed(@JsonProperty("renamed") String value) {
	}

	record Nested(Text inner, List<Integer> numbers) {
	}

	record Empty() {
	}

	record Clash(String action, String text) {
	}

	/** No clash when answering {@code action}, one when answering {@code type}. */
	record TypeClash(String type, String text) {
	}

	record Outer(@JsonUnwrapped Clash inner) {
	}

	record CorrelationClash(int correlationId) {
	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
	@JsonSubTypes(@JsonSubTypes.Type(value = Dog.class, name = "dog"))
	interface Animal {

	}

	record Dog(String name) implements Animal {
	}

	static final class Extras {

		public String getName() {
			return "extras";
		}

		@JsonAnyGetter
		public Map<String, Object> others() {
			return Map.of("action", "from any-getter", "more", 1);
		}

	}

	@JsonIdentityInfo(generator = ObjectIdGenerators.IntSequenceGenerator.class)
	record Identified(int value) {
	}

	record Wrapped(@JsonValue String value) {
	}

	static final class Failing {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

}
