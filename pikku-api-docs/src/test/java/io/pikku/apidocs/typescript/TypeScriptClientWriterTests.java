package io.pikku.apidocs.typescript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.pikku.apidocs.ApiDescription;
import io.pikku.apidocs.TestChannels;
import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.PikkuFunction;
import io.pikku.test.TypeScriptTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link TypeScriptClientWriter}: what it writes, and that TypeScript's
 * compiler (pinned, from npm) accepts it with {@code --strict}. The compiler tests are
 * skipped where Node.js is missing.
 */
class TypeScriptClientWriterTests {

	private static final String[] OPTIONS = { "--strict", "--target", "es2022", "--module", "es2022",
			"--moduleResolution", "bundler", "--lib", "es2022,dom" };

	private final TypeScriptClient client = new TypeScriptClientWriter(TestChannels.JSON)
		.write(TestChannels.description());

	@Test
	void filesAreAModuleItsTypingsAndItsSource() {
		assertThat(this.client.files()).containsOnlyKeys("pikku-websocket.gen.ts", "pikku-websocket.gen.js",
				"pikku-websocket.gen.d.ts");
		assertThat(this.client.javaScript()).contains("const pikkuInfo = {")
			.contains("export class PikkuClient")
			.doesNotContain("export interface")
			.doesNotContain("pikku:stub");
		assertThat(this.client.declarations()).contains("export interface Sent {")
			.contains("export declare class PikkuClient")
			.doesNotContain("./stub.js")
			.doesNotContain("pikkuInfo");
		assertThat(this.client.typeScript()).contains("const pikkuInfo: PikkuInfo = {")
			.contains("export class PikkuClient")
			.doesNotContain("pikku:stub")
			.doesNotContain("./stub.js");
	}

	@Test
	void channelsMapHasPikkusShape() {
		assertThat(this.client.typeScript()).contains("""
				export type ChannelsMap = {
				    /** Rooms */
				    readonly chat: {
				        readonly routes: {
				            readonly action: {
				                /** Logs the connection in */
				                readonly authenticate: ChannelHandler<Token, Authenticated>;
				""").contains("""
				            readonly command: {
				                readonly stop: ChannelHandler<Record<string, never>, void>;
				            };
				""").contains("        readonly defaultMessage: ChannelHandler<unknown, unknown>;\n");
	}

	@Test
	void replyErrorsAndTopicsAreTypedPerAction() {
		assertThat(this.client.typeScript())
			.contains("readonly reply: { readonly action: 'add'; readonly correlationId?: string | number; "
					+ "readonly result: number };")
			.contains("readonly error: RateLimitedError | UnauthorizedError | ForbiddenError | NotFoundError | "
					+ "QuotaExceededError | InternalError;")
			.contains("readonly [topic: `room:${string}`]: Delivered & { readonly topic: `room:${string}` };")
			.contains("""
					export interface ValidationFailedError extends PikkuErrorBody {
					    readonly code: 'validation_failed';
					    readonly message: string;
					    readonly details: PikkuFieldError[];
					}
					""");
	}

	@Test
	void inputPropertiesAreOptionalUnlessConstrainedAndOutputPropertiesAreAlwaysThere() {
		assertThat(this.client.typeScript()).contains("""
				export interface Room {
				    room: string;
				    name?: string;
				}
				""").contains("""
				export interface Sent {
				    message: string;
				    userId: string;
				    timestamp: number;
				    editedBy: string | null;
				}
				""");
	}

	@Test
	void typesNeverShadowWhatTheRuntimeUses() {
		ChannelDefinition<?> channel = ChannelDefinition.builder("names", "/names")
			.action("a", PikkuFunction.builder(Void.class).returns(PikkuClient.class).handler((i, c) -> null).build())
			.action("b", PikkuFunction.builder(Void.class).returns(Record.class).handler((i, c) -> null).build())
			.action("c", PikkuFunction.builder(Void.class).returns(Topic.class).handler((i, c) -> null).build())
			.build();
		String typeScript = new TypeScriptClientWriter(TestChannels.JSON)
			.write(ApiDescription.builder(TestChannels.describe(channel), TestChannels.SETTINGS, TestChannels.JSON)
				.build())
			.typeScript();
		assertThat(typeScript).contains("export interface PikkuClientType {")
			.contains("export interface RecordType {")
			.contains("readonly a: ChannelHandler<Record<string, never>, PikkuClientType>;")
			.as("the runtime's type parameters name nothing outside their declarations")
			.contains("export interface Topic {");
	}

	@Test
	void generatedTypeScriptTypeChecksStrictly(@TempDir Path directory) throws IOException {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
		this.client.writeTo(directory);
		Files.writeString(directory.resolve("usage.ts"), resource("usage.ts"));
		TypeScriptTools.Result result = TypeScriptTools.tsc(directory,
				concat(OPTIONS, "--noEmit", "pikku-websocket.gen.ts", "usage.ts"));
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void moduleAndTypingsTypeCheckWithoutTheSource(@TempDir Path directory) throws IOException {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
		this.client.writeTo(directory);
		Files.delete(directory.resolve("pikku-websocket.gen.ts"));
		Files.writeString(directory.resolve("usage.ts"), resource("usage.ts"));
		TypeScriptTools.Result result = TypeScriptTools.tsc(directory, concat(OPTIONS, "--noEmit", "usage.ts"));
		assertThat(result.exitCode()).as(result.output()).isZero();
		Files.copy(directory.resolve("pikku-websocket.gen.js"), directory.resolve("pikku-websocket.gen.mjs"));
		TypeScriptTools.Result syntax = TypeScriptTools.node(directory, "--check", "pikku-websocket.gen.mjs");
		assertThat(syntax.exitCode()).as(syntax.output()).isZero();
	}

	@Test
	void aWrongCallDoesNotTypeCheck(@TempDir Path directory) throws IOException {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
		this.client.writeTo(directory);
		Files.writeString(directory.resolve("wrong.ts"), """
				import { PikkuClient } from './pikku-websocket.gen.js';
				const chat = new PikkuClient('ws://localhost').channel('chat', { room: 'a' });
				void chat.call('sendMessage', { message: 42 });
				""");
		TypeScriptTools.Result result = TypeScriptTools.tsc(directory, concat(OPTIONS, "--noEmit", "wrong.ts"));
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("wrong.ts(3,").contains("'number' is not assignable to type 'string'");
	}

	@Test
	void runtimeModuleAndTypingsAreWhatTheCompilerMakesOfItsSource() throws IOException {
		assumeTrue(TypeScriptTools.available(), TypeScriptTools.SKIPPED);
		Path directory = Path.of("target", "typescript-runtime").toAbsolutePath();
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("runtime.ts"), runtime("runtime.ts"));
		Files.writeString(directory.resolve("stub.ts"), resource("stub.ts"));
		TypeScriptTools.Result result = TypeScriptTools.tsc(directory,
				concat(OPTIONS, "--declaration", "--outDir", "out", "runtime.ts", "stub.ts"));
		assertThat(result.exitCode()).as(result.output()).isZero();
		String hint = "runtime.js and runtime.d.ts must be what tsc makes of runtime.ts: copy them from "
				+ directory.resolve("out") + " (see the README beside runtime.ts)";
		assertThat(runtime("runtime.js")).as(hint).isEqualTo(Files.readString(directory.resolve("out/runtime.js")));
		assertThat(runtime("runtime.d.ts")).as(hint).isEqualTo(Files.readString(directory.resolve("out/runtime.d.ts")));
	}

	private static String[] concat(String[] options, String... more) {
		String[] all = java.util.Arrays.copyOf(options, options.length + more.length);
		System.arraycopy(more, 0, all, options.length, more.length);
		return all;
	}

	private static String resource(String name) throws IOException {
		try (InputStream input = TypeScriptClientWriterTests.class.getResourceAsStream(name)) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String runtime(String name) throws IOException {
		try (InputStream input = TypeScriptClientWriter.class.getResourceAsStream(name)) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	record PikkuClient(String name) {
	}

	record Record(List<String> values) {
	}

	record Topic(String name) {
	}

}
