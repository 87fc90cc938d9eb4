// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One run of the command in this JVM through {@link Main#run}, with standard output and standard
 * error captured.
 *
 * @param exit the exit status
 * @param out what went to standard output, as UTF-8
 * @param err what went to standard error, as UTF-8
 */
record CommandRun(int exit, String out, String err) {

  /**
   * Runs the command with {@code args}, an empty environment (so that no proxy variable of the
   * machine running the tests applies) and no terminal (no progress display).
   */
  static CommandRun run(String... args) {
    return runWith(Map.of(), args);
  }

  /** Runs the command with {@code args} and the environment {@code env}, with no terminal. */
  static CommandRun runWith(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new CommandRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
