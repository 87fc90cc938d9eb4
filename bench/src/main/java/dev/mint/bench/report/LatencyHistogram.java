// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, counted in fixed buckets so that a run of any length takes the same
 * memory and records without allocating: 1 µs buckets below 10 ms, 100 µs buckets up to 10 s, and
 * one bucket for everything above. Recorded from any thread.
 */
final class LatencyHistogram {
  private static final int FINE_LIMIT_MICROS = 10_000;
  private static final int COARSE_STEP_MICROS = 100;
  private static final int COARSE_BUCKETS = 100_000;
  private static final int BUCKETS = FINE_LIMIT_MICROS + COARSE_BUCKETS + 1;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  /** Counts one latency of {@code nanos}. */
  void record(long nanos) {
    counts.incrementAndGet(bucket(Math.max(0, nanos / 1000)));
  }

  private static int bucket(long micros) {
    if (micros < FINE_LIMIT_MICROS) {
      return (int) micros;
    }
    long coarse = (micros - FINE_LIMIT_MICROS) / COARSE_STEP_MICROS;
    return FINE_LIMIT_MICROS + (int) Math.min(coarse, COARSE_BUCKETS);
  }

  private static long upperMicros(int bucket) {
    if (bucket < FINE_LIMIT_MICROS) {
      return bucket + 1L;
    }
    return FINE_LIMIT_MICROS + (bucket - FINE_LIMIT_MICROS + 1L) * COARSE_STEP_MICROS;
  }

  /**
   * The latency in microseconds at or below which {@code quantile} (0 to 1) of the recorded ones
   * fall (nearest rank, to the bucket's upper bound); 0 when none is recorded.
   */
  long quantileMicros(double quantile) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upperMicros(i);
      }
    }
    return upperMicros(BUCKETS - 1);
  }
}
