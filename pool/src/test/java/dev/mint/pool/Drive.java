// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** Drives a caller-driven pool in tests, always within a bound of time. */
final class Drive {
  private Drive() {}

  /** Polls until {@code done} holds; fails the test after {@code limit}. */
  static void until(Pool pool, BooleanSupplier done, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end >= 0) {
        throw new AssertionError("not done within " + limit + "; stats " + pool.stats());
      }
      pool.poll(Duration.ofMillis(20));
    }
  }

  /** Polls until every future is done, within 10 s. */
  static void all(Pool pool, List<? extends CompletableFuture<?>> futures) {
    until(pool, () -> futures.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(10));
  }

  /** Polls until the future is done (10 s at most) and returns its failure, or null. */
  static PoolException failure(Pool pool, CompletableFuture<Response> future) {
    all(pool, List.of(future));
    try {
      future.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return (PoolException) e.getCause();
    }
  }
}
