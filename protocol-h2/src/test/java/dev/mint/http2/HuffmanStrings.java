// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.util.Arrays;

/** {@link HuffmanCode#decode(byte[], int, int, byte[])} over a {@link Bytes} range, for tests. */
final class HuffmanStrings {
  private HuffmanStrings() {}

  /**
   * The number of bytes that bytes {@code [from, to)} of {@code in} decode to, or -1 when they are
   * not a valid Huffman-coded string (EOS inside, padding of 8 bits or more, or padding that is not
   * all ones).
   */
  static int decodedLength(Bytes in, int from, int to) {
    byte[] out = new byte[(int) ((to - from) * 8L / 5)];
    return HuffmanCode.decode(in.slice(from, to).toByteArray(), 0, to - from, out);
  }

  /** The bytes that bytes {@code [from, to)} of {@code in} decode to, or null when not valid. */
  static byte[] decode(Bytes in, int from, int to) {
    byte[] out = new byte[(int) ((to - from) * 8L / 5)];
    int n = HuffmanCode.decode(in.slice(from, to).toByteArray(), 0, to - from, out);
    return n < 0 ? null : Arrays.copyOf(out, n);
  }
}
