// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the Jazzer targets share: the time budget of one input and the documented reasons. */
final class FuzzRun {
  /** The most one input may take. */
  static final long BUDGET_NANOS = 1_000_000_000L;

  private static boolean warm;

  private FuzzRun() {}

  /** One input's work. */
  interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} and asserts it took less than {@link #BUDGET_NANOS}. The first input of a JVM
   * runs once unmeasured before: loading the engine's classes, with Jazzer instrumenting each as it
   * loads, takes more than a second on a busy machine and says nothing about the input.
   */
  static void withinASecond(Body body) throws Exception {
    if (!warm) {
      warm = true;
      body.run();
    }
    long start = System.nanoTime();
    body.run();
    long took = System.nanoTime() - start;
    assertTrue(took < BUDGET_NANOS, "took " + took / 1_000_000 + " ms");
  }

  /**
   * The reasons whose {@link dev.mint.HttpException.Reason} Javadoc gives HTTP/1.1 the {@code
   * faultAndScope} ({@code caller/request}, {@code peer/connection}, ...).
   */
  static Set<String> documentedReasons(String faultAndScope) {
    Set<String> reasons = new TreeSet<>();
    try {
      for (Map.Entry<String, Set<String>> e : ErrorDocumentationTest.documented().entrySet()) {
        if (e.getValue().contains(faultAndScope)) {
          reasons.add(e.getKey());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return reasons;
  }
}
