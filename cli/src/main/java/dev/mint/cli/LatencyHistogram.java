// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

/**
 * A bounded histogram of latencies in microseconds, for {@code mint load}: log-linear buckets (64
 * exact ones below 64 µs, then 32 per power of two), so that any percentile it reports is within
 * 1/32 (about 3%) of the true value, in a fixed {@value #BUCKETS} counters whatever the run's
 * length. Values above {@link #MAX_MICROS} count as that; min, max and mean are exact.
 *
 * <p>Not thread-safe: {@code mint load} records from its one thread.
 */
final class LatencyHistogram {
  /** The exact buckets, for 0 to 63 µs; also twice the buckets per power of two above them. */
  private static final int SUB = 64;

  private static final int HALF = SUB / 2;

  /** The largest power of two tracked: 2^40 µs, about twelve days. */
  private static final int MAX_EXPONENT = 40;

  /** The largest value recorded as itself. */
  static final long MAX_MICROS = (1L << (MAX_EXPONENT + 1)) - 1;

  /** The number of counters. */
  static final int BUCKETS = SUB + (MAX_EXPONENT - 5) * HALF;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  /** Records one latency of {@code micros} (negative counts as 0). */
  void record(long micros) {
    long v = Math.min(Math.max(micros, 0), MAX_MICROS);
    counts[index(v)]++;
    total++;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }

  /** The number of values recorded. */
  long count() {
    return total;
  }

  /** The smallest value, or 0 when none. */
  long min() {
    return total == 0 ? 0 : min;
  }

  /** The largest value, or 0 when none. */
  long max() {
    return max;
  }

  /** The mean, or 0 when none. */
  double mean() {
    return total == 0 ? 0 : sum / total;
  }

  /**
   * The value at or below which {@code percent} of the values fall: the highest value of the bucket
   * that holds it, never above {@link #max()}; 0 when none.
   */
  long percentile(double percent) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highest(i), max);
      }
    }
    return max;
  }

  /** The bucket of {@code v}, 0 &lt;= v &lt;= {@link #MAX_MICROS}. */
  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v); // 6 or more
    int shift = exponent - 5; // v >> shift is in [32, 64)
    return SUB + (exponent - 6) * HALF + (int) ((v >> shift) - HALF);
  }

  /** The lowest value of bucket {@code i}. */
  static long lowest(int i) {
    if (i < SUB) {
      return i;
    }
    int k = i - SUB;
    int exponent = k / HALF + 6;
    return (long) (k % HALF + HALF) << (exponent - 5);
  }

  /** The highest value of bucket {@code i}. */
  static long highest(int i) {
    return i + 1 < BUCKETS ? lowest(i + 1) - 1 : MAX_MICROS;
  }
}
