// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The ways a byte sequence is cut into pieces for the chunking-invariant tests: whole, one byte at
 * a time, and random cuts from fixed seeds (so a failure can be replayed).
 */
final class Splits {
  static final int RANDOM_SEEDS = 25;

  private Splits() {}

  /** Every split of {@code all}, each named for messages. */
  static List<Split> of(byte[] all) {
    List<Split> splits = new ArrayList<>();
    splits.add(new Split("whole", List.of(all)));
    List<byte[]> single = new ArrayList<>(all.length);
    for (byte b : all) {
      single.add(new byte[] {b});
    }
    splits.add(new Split("one byte at a time", single));
    for (long seed = 1; seed <= RANDOM_SEEDS; seed++) {
      splits.add(new Split("random seed " + seed, random(all, seed)));
    }
    return splits;
  }

  private static List<byte[]> random(byte[] all, long seed) {
    Random r = new Random(seed);
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    while (at < all.length) {
      int n = 1 + r.nextInt(Math.max(1, Math.min(all.length - at, 1 + all.length / 3)));
      n = Math.min(n, all.length - at);
      pieces.add(Arrays.copyOfRange(all, at, at + n));
      at += n;
    }
    return pieces;
  }

  /**
   * One way of cutting the bytes.
   *
   * @param name for messages
   * @param pieces the pieces, in order
   */
  record Split(String name, List<byte[]> pieces) {}
}
