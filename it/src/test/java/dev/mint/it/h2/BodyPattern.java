// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The deterministic bytes test servers send and tests upload: a block of seeded random bytes
 * repeated. The block's prime length never lines up with frame, record or read boundaries, so a
 * lost, repeated or reordered piece changes the CRC-32.
 */
public final class BodyPattern {
  /** The length of the repeated block, a prime. */
  public static final int BLOCK_LENGTH = 65_521;

  private static final byte[] BLOCK = new byte[BLOCK_LENGTH];

  static {
    new Random(BLOCK_LENGTH).nextBytes(BLOCK);
  }

  private BodyPattern() {}

  /** A read-only view of at most {@code max} pattern bytes starting at {@code offset}. */
  public static ByteBuffer slice(long offset, int max) {
    int from = (int) (offset % BLOCK_LENGTH);
    int n = Math.min(max, BLOCK_LENGTH - from);
    return ByteBuffer.wrap(BLOCK, from, n).slice().asReadOnlyBuffer();
  }

  /** The first {@code length} pattern bytes as a new array. */
  public static byte[] bytes(int length) {
    byte[] out = new byte[length];
    for (int at = 0; at < length; ) {
      int n = Math.min(BLOCK_LENGTH, length - at);
      System.arraycopy(BLOCK, 0, out, at, n);
      at += n;
    }
    return out;
  }

  /** The CRC-32 of the first {@code length} pattern bytes. */
  public static long crc32(long length) {
    CRC32 crc = new CRC32();
    for (long left = length; left > 0; ) {
      int n = (int) Math.min(BLOCK_LENGTH, left);
      crc.update(BLOCK, 0, n);
      left -= n;
    }
    return crc.getValue();
  }

  /** The CRC-32 of {@code length} zero bytes (what nginx and nghttpd serve as {@code /big.bin}). */
  public static long zerosCrc32(long length) {
    byte[] zeros = new byte[BLOCK_LENGTH];
    CRC32 crc = new CRC32();
    for (long left = length; left > 0; ) {
      int n = (int) Math.min(zeros.length, left);
      crc.update(zeros, 0, n);
      left -= n;
    }
    return crc.getValue();
  }
}
