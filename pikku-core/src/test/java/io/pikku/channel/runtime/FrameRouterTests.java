package io.pikku.channel.runtime;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.channel.runtime.CompiledChannel.CompiledAction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FrameRouter}: a frame read in one pass is routed and bound exactly as
 * the same frame read as a tree.
 */
class FrameRouterTests {

	private static final JsonMapper MAPPER = ChannelJson.strict(JsonMapper.builder().build());

	private static final ChannelDefinition<?> CHANNEL = ChannelDefinition.builder("todos", "/todos")
		.auth(false)
		.action("create", PikkuFunction.of(Todo.class, (input, context) -> input))
		.action("note", PikkuFunction.of(JsonNode.class, (input, context) -> input))
		.action("ping", PikkuFunction.of(Void.class, (input, context) -> "pong"))
		.action("type", "other", PikkuFunction.of(Todo.class, (input, context) -> input))
		.build();

	private final FrameRouter router = new FrameRouter(
			new CompiledChannel(CHANNEL, ChannelSettings.DEFAULTS, MAPPER, null, List.of()), MAPPER, "correlationId");

	static Stream<String> framesReadInOnePass() {
		return Stream.of("{'action':'create','title':'a','priority':2}",
				"{'action':'create','correlationId':7,'title':'a'}",
				"{'action':'create','title':'a','correlationId':'x-1'}",
				"{'action':'create','title':'a','correlationId':1.50}",
				"{'action':'create','title':'a','correlationId':123456789012345678901234567890}",
				"{'action':'create','title':'a','correlationId':{'nested':1}}",
				"{'action':'create','title':'a','correlationId':[1]}",
				"{'action':'create','title':'a','correlationId':null}",
				"{'action':'create','title':'a','correlationId':1,'correlationId':2}",
				"{'action':'create','meta':{'correlationId':1,'action':'x','type':'other'},'title':'a'}",
				"{'action':'create','meta':['x',{'correlationId':2}],'title':'a'}",
				"{'action':'create','tags':['x','y'],'title':'a\\u00e9\\ud83d\\ude00'}", "{'action':'create'}",
				"{'action':'create','correlationId':3}", "{'action':'create','title':null}",
				"{'action':'create','title':'a','unknown':{'x':[1,2]}}",
				"{'action':'note','any':{'deep':[1,2,{'correlationId':3}]},'correlationId':9}", "{'action':'note'}",
				"{'action':'ping','ignored':[1,{'a':2}],'correlationId':1}", "{'action':'ping'}",
				"{'action':'cr\\u0065ate','title':'a'}", "{'action':'\\u0070ing'}");
	}

	static Stream<String> framesReadAsATree() {
		return Stream.of("{'action':'create','title':'a','type':'other'}",
				"{'action':'ping','correlationId':1,'action':'again'}", "{'action':'unknown','title':'a'}",
				"{'type':'other','title':'a'}", "{'title':'a','action':'create'}", "{'action':5,'title':'a'}",
				"{'action':'create','title':5}", "{'action':'create','priority':1.5}",
				"{'action':'create','priority':99999999999}", "{'action':'create','tags':'x'}",
				"{'action':'create','title':5,}", "{'action':'create','title':'a',}",
				"{'action':'create','title':'a'} x", "{'action':'create','title':'a'}{}",
				"{'action':'create','title':'a'", "{'action':'create','title':}",
				"{'action':'create','meta':" + "[".repeat(1200) + "]".repeat(1200) + "}", "[1,2]", "'text'", "", " ",
				"{}", "{'action':'ping','x':[}", "{'action':'creat','title':'a'}", "{'action':'createe','title':'a'}",
				"{'action':'crEate','title':'a'}", "{'action':'Ping'}", "{'action':'','title':'a'}",
				"{'action':'ping\\u0000'}");
	}

	@ParameterizedTest
	@MethodSource("framesReadInOnePass")
	void aFrameThatStartsWithItsActionIsBoundInOnePassAsTheTreeWouldBindIt(String frame) {
		String text = frame.replace('\'', '"');
		RoutedFrame routed = this.router.route(text);
		assertThat(routed.input()).isNotNull();
		assertThat(routed.input().boundInOnePass()).isTrue();
		assertSameAsTree(text, routed);
	}

	@ParameterizedTest
	@MethodSource("framesReadAsATree")
	void anyOtherFrameIsRoutedAsATree(String frame) {
		String text = frame.replace('\'', '"');
		RoutedFrame routed = this.router.route(text);
		assertThat(routed.input() == null || !routed.input().boundInOnePass()).isTrue();
		assertSameAsTree(text, routed);
	}

	@Test
	void eachOfManyActionsOfTheSameLengthIsFoundByItsOwnName() {
		ChannelDefinition.Builder<?> builder = ChannelDefinition.builder("many", "/many").auth(false);
		for (int i = 0; i < 60; i++) {
			builder.action("a" + (100 + i), PikkuFunction.of(JsonNode.class, (input, context) -> input));
		}
		builder.action("longer-name", PikkuFunction.of(JsonNode.class, (input, context) -> input));
		FrameRouter many = new FrameRouter(
				new CompiledChannel(builder.build(), ChannelSettings.DEFAULTS, MAPPER, null, List.of()), MAPPER,
				"correlationId");
		for (String name : List.of("a100", "a137", "a159", "longer-name")) {
			RoutedFrame routed = many.route("{\"action\":\"" + name + "\",\"x\":1}");
			assertThat(routed.action()).as(name).isNotNull();
			assertThat(routed.action().name()).isEqualTo(name);
			assertThat(routed.input().boundInOnePass()).isTrue();
			assertThat(routed.replyTo().routingValue().stringValue()).isEqualTo(name);
		}
		for (String name : List.of("a160", "a99", "longer-name!", "b100")) {
			RoutedFrame routed = many.route("{\"action\":\"" + name + "\",\"x\":1}");
			assertThat(routed.action()).as(name).isNull();
		}
	}

	private void assertSameAsTree(String text, RoutedFrame routed) {
		RoutedFrame tree = this.router.routeAsTree(text);
		assertThat(routed.kind()).isEqualTo(tree.kind());
		assertThat(routed.replyTo()).isEqualTo(tree.replyTo());
		assertThat(routed.action()).isSameAs(tree.action());
		assertThat(routed.correlationInvalid()).isEqualTo(tree.correlationInvalid());
		assertThat(routed.detail()).isEqualTo(tree.detail());
		if (routed.action() != null) {
			assertThat(bound(routed.action(), routed.input())).isEqualTo(bound(tree.action(), tree.input()));
			assertThat(routed.input().tree()).isEqualTo(tree.input().tree());
		}
	}

	/** The bound input, or the code and details of the error binding answers. */
	private static @Nullable Object bound(CompiledAction action, CallInput input) {
		try {
			return input.bind(action, MAPPER);
		}
		catch (PikkuException ex) {
			return Map.of("code", ex.getCode(), "details", String.valueOf(ex.getDetails()));
		}
	}

	record Todo(String title, @Nullable Integer priority, List<String> tags, JsonNode meta) {
	}

}
