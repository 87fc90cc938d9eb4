// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsCoverEveryValueInOrder() {
    for (int i = 0; i + 1 < LatencyHistogram.BUCKETS; i++) {
      assertEquals(i, LatencyHistogram.index(LatencyHistogram.lowest(i)), "lowest of " + i);
      assertEquals(i, LatencyHistogram.index(LatencyHistogram.highest(i)), "highest of " + i);
      assertEquals(LatencyHistogram.highest(i) + 1, LatencyHistogram.lowest(i + 1));
    }
    assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.index(LatencyHistogram.MAX_MICROS));
  }

  @Test
  void percentilesAreWithinThreePercentOfTheExactOnes() {
    Random random = new Random(11);
    long[] values = new long[100_000];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(random.nextDouble() * 16); // 1 µs to ~9 s
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double p : new double[] {50, 90, 99, 99.9}) {
      long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      long reported = h.percentile(p);
      assertTrue(reported >= exact, p + ": " + reported + " < " + exact);
      assertTrue(reported <= exact + Math.max(1, exact / 32), p + ": " + reported + " vs " + exact);
    }
    assertEquals(values[0], h.min());
    assertEquals(values[values.length - 1], h.max());
    assertEquals(100_000, h.count());
  }

  @Test
  void emptyAndHugeValues() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.percentile(99));
    h.record(Long.MAX_VALUE);
    h.record(-5);
    assertEquals(LatencyHistogram.MAX_MICROS, h.max());
    assertEquals(0, h.min());
    assertEquals(LatencyHistogram.MAX_MICROS, h.percentile(100));
  }
}
