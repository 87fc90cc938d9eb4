// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars Maven built, copied into one folder before the tests run (the system property {@code
 * mint.it.jars}), and child JVMs started on them: the {@code mint} command as a user runs it.
 */
public final class BuiltJars {
  private BuiltJars() {}

  /**
   * What a child JVM did.
   *
   * @param exit its exit status
   * @param out its standard output, as UTF-8
   * @param err its standard error, as UTF-8
   */
  public record Run(int exit, String out, String err) {}

  /** The jars of the folder, sorted by name. */
  public static List<Path> jars() throws IOException {
    Path folder = Path.of(System.getProperty("mint.it.jars", "target/mint-jars"));
    assertTrue(Files.isDirectory(folder), "no jar folder at " + folder.toAbsolutePath());
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
  }

  /** The jars as one class or module path. */
  public static String jarPath() throws IOException {
    return jars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Runs the {@code mint} command with {@code args} on the class path, in the environment {@code
   * env} (only those variables), with no input, waiting at most a minute.
   *
   * @param work a folder for the output files
   */
  public static Run mint(Map<String, String> env, Path work, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("-cp", jarPath(), "dev.mint.cli.Main"));
    command.addAll(List.of(args));
    return java(command, env, work);
  }

  /**
   * Runs the JDK's {@code java} with {@code args}, in the environment {@code env} ({@code null}
   * keeps this JVM's), with no input, waiting at most a minute.
   */
  public static Run java(List<String> args, Map<String, String> env, Path work)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    return run(command, env, work);
  }

  /**
   * Runs {@code command}, in the environment {@code env} ({@code null} keeps this JVM's), with no
   * input, waiting at most a minute.
   */
  public static Run run(List<String> command, Map<String, String> env, Path work)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "stdout", ".txt");
    Path err = Files.createTempFile(work, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (env != null) {
      builder.environment().clear();
      builder.environment().putAll(env);
    }
    Process process = builder.start();
    process.getOutputStream().close(); // no input, as under CI
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("timed out: " + command);
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
