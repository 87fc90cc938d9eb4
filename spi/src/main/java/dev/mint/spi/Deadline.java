// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import java.time.Duration;

/**
 * A point in time on the monotonic clock ({@link System#nanoTime()}), used to share one timeout
 * across the steps of a connect or a receive.
 *
 * @param nanoTime the deadline in {@link System#nanoTime()} units
 */
public record Deadline(long nanoTime) {

  /** The deadline {@code timeout} from now. */
  public static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + saturatedNanos(timeout));
  }

  /** The time left, never negative. */
  public Duration remaining() {
    long left = nanoTime - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /** The time left in whole milliseconds, rounded up so that a few nanoseconds still wait. */
  public long remainingMillis() {
    long left = nanoTime - System.nanoTime();
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return nanoTime - System.nanoTime() <= 0;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE / 4;
    }
  }
}
