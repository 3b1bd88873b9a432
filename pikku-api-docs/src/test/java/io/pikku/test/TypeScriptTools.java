package io.pikku.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node.js and pinned tools for the tests: {@code package.json} and
 * {@code package-lock.json} beside this class pin TypeScript 6.0.3 (and {@code ws}, the
 * WebSocket of Node before 22), installed with {@code npm ci} into
 * {@code target/typescript-tools} once per build. Tests that need them are skipped where
 * Node.js or npm is missing ({@code .ci/run} installs Debian's {@code nodejs} and
 * {@code npm}).
 */
public final class TypeScriptTools {

	/** Why a test is skipped without Node.js. */
	public static final String SKIPPED = "Skipped: Node.js and npm are not installed. Install them with "
			+ "'apt-get install nodejs npm' (.ci/run does) to type-check and run the generated TypeScript client.";

	/** The TypeScript version the tests pin. */
	public static final String TYPESCRIPT_VERSION = "6.0.3";

	private static final Path TOOLS = Path.of("target", "typescript-tools").toAbsolutePath();

	private static volatile boolean installed;

	private TypeScriptTools() {
	}

	/**
	 * Whether Node.js and npm are on the path.
	 * @return {@code true} if the TypeScript tests can run
	 */
	public static boolean available() {
		return onPath("node") && onPath("npm");
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Runs the pinned TypeScript compiler.
	 * @param workingDirectory where it runs
	 * @param arguments its arguments
	 * @return what it printed and its exit code
	 */
	public static Result tsc(Path workingDirectory, String... arguments) {
		modules();
		List<String> command = new ArrayList<>(
				List.of("node", TOOLS.resolve("node_modules/typescript/bin/tsc").toString()));
		command.addAll(List.of(arguments));
		return run(workingDirectory, command);
	}

	/**
	 * Runs Node.js.
	 * @param workingDirectory where it runs
	 * @param arguments its arguments
	 * @return what it printed and its exit code
	 */
	public static Result node(Path workingDirectory, String... arguments) {
		List<String> command = new ArrayList<>(List.of("node"));
		command.addAll(List.of(arguments));
		return run(workingDirectory, command);
	}

	/**
	 * The pinned tools' {@code node_modules}, installed with {@code npm ci} unless they
	 * already are.
	 * @return the directory
	 */
	public static synchronized Path modules() {
		Path modules = TOOLS.resolve("node_modules");
		if (installed) {
			return modules;
		}
		try {
			Files.createDirectories(TOOLS);
			copy("package.json");
			copy("package-lock.json");
			Path marker = TOOLS.resolve("installed-package-lock.json");
			String lock = Files.readString(TOOLS.resolve("package-lock.json"));
			if (!Files.isDirectory(modules) || !Files.exists(marker) || !Files.readString(marker).equals(lock)) {
				Result result = run(TOOLS, List.of("npm", "ci", "--no-audit", "--no-fund"));
				if (result.exitCode() != 0) {
					throw new IllegalStateException("npm ci failed:\n" + result.output());
				}
				Files.writeString(marker, lock);
			}
			installed = true;
			return modules;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void copy(String name) throws IOException {
		try (InputStream input = TypeScriptTools.class.getResourceAsStream("typescript/" + name)) {
			if (input == null) {
				throw new IllegalStateException("typescript/" + name + " is missing beside TypeScriptTools");
			}
			byte[] content = input.readAllBytes();
			Path target = TOOLS.resolve(name);
			if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), content)) {
				Files.write(target, content);
			}
		}
	}

	private static Result run(Path workingDirectory, List<String> command) {
		try {
			Path output = Files.createTempFile("pikku-node-", ".log");
			try {
				Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(5, TimeUnit.MINUTES)) {
					process.destroyForcibly();
					throw new IllegalStateException(command + " did not finish in 5 minutes");
				}
				return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a command printed and how it ended.
	 *
	 * @param exitCode the exit code
	 * @param output what it wrote to standard output and error
	 */
	public record Result(int exitCode, String output) {

	}

}
