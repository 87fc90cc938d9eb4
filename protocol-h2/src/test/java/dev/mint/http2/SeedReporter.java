// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Adds the random split seed to the failure of a test, so that it can be run again with {@code
 * -Dmint.seed=SEED}. The seed is chosen once per run (or taken from that property).
 */
final class SeedReporter implements TestExecutionExceptionHandler {
  /** The seed of this run. */
  static final long SEED = Long.getLong("mint.seed", System.nanoTime());

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw new AssertionError(
        "[random splits seeded with " + SEED + "; rerun with -Dmint.seed=" + SEED + "] " + t, t);
  }
}
