// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * The HPACK Huffman code (RFC 7541 §5.2, Appendix B), decoded the way the RFC requires: the EOS
 * symbol must not appear in a string, and the padding after the last symbol must be fewer than 8
 * bits, all ones (the most significant bits of EOS). Each Huffman string of a received block is
 * decoded here once, checked as it is decoded.
 *
 * <p>The table is ours, written from the RFC, so that nothing depends on another library's
 * internals: the code lengths, from which the codes follow because the code is canonical. It is
 * complete (every bit sequence starts with a code), and agrees with the RFC's examples and with the
 * library on every symbol, which the tests check. Decoding walks a state table built from it when
 * the class loads, 4 bits at a time.
 */
final class HuffmanCode {
  /** The end-of-string symbol (RFC 7541 §5.2): never valid inside a string. */
  static final int EOS = 256;

  /**
   * RFC 7541 Appendix B: the length in bits of the code of each symbol, 0 to 256. The code is
   * canonical: codes of one length are consecutive in symbol order, and each length's first code is
   * the last shorter code plus one, shifted left.
   */
  private static final String LENGTHS =
      "13 23 28 28 28 28 28 28 28 24 30 28 28 30 28 28 28 28 28 28 28 28 30 28 28 28 28 28 "
          + "28 28 28 28 6 10 10 12 13 6 8 11 10 10 8 11 8 6 6 6 5 5 5 6 6 6 6 6 6 6 7 8 15 6 12 "
          + "10 13 6 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 8 7 8 13 19 13 14 6 15 5 6 5 6 "
          + "5 6 6 6 5 7 7 6 6 6 5 6 7 6 5 5 6 7 7 7 7 7 15 11 14 13 28 20 22 20 20 22 22 22 23 "
          + "22 23 23 23 23 23 24 23 24 24 22 23 24 23 23 23 23 21 22 23 22 23 23 24 22 21 20 22 "
          + "22 23 23 21 23 22 22 24 21 22 23 23 21 21 22 21 23 22 23 23 20 22 22 22 23 22 22 23 "
          + "26 26 20 19 22 23 22 25 26 26 26 27 27 26 24 25 19 21 26 27 27 26 27 24 21 21 26 26 "
          + "28 27 27 27 20 24 20 21 22 21 21 23 22 22 25 25 24 24 26 23 26 27 26 26 27 27 27 27 "
          + "27 28 27 27 27 27 27 26 30";

  /** For each symbol 0..256, its code (aligned to the least significant bit) and its length. */
  private static final int[] CODES_AND_LENGTHS = buildCodes();

  /**
   * The decoding tree: node {@code n} has its children at {@code 2n} (bit 0) and {@code 2n+1} (bit
   * 1); a positive entry is a node, a negative one the leaf {@code -(symbol + 1)}.
   */
  private static final int[] TREE = buildTree();

  /** A {@link #STEPS} entry's flag: the step ends a symbol, held in bits 8..15. */
  private static final int EMITS = 1 << 16;

  /** A {@link #STEPS} entry's flag: the step reaches EOS; the string is invalid. */
  private static final int FAILS = 1 << 17;

  /**
   * A {@link #STEPS} entry's flag: the string may end after this step, because the bits since its
   * last symbol are fewer than 8 and all ones (valid padding).
   */
  private static final int ACCEPTS = 1 << 18;

  /**
   * The decoder as a state machine that takes 4 bits at a time, built from {@link #TREE}: a state
   * is a tree node (the bits since the last symbol), and entry {@code state * 16 + nibble} holds
   * the next state (bits 0..7) and the flags above. A nibble ends at most one symbol, since the
   * shortest code has 5 bits.
   */
  private static final int[] STEPS = buildSteps();

  private HuffmanCode() {}

  /** The code of {@code symbol} (0..256), aligned to the least significant bit. */
  static int code(int symbol) {
    return CODES_AND_LENGTHS[2 * symbol];
  }

  /** The length in bits of the code of {@code symbol} (0..256). */
  static int length(int symbol) {
    return CODES_AND_LENGTHS[2 * symbol + 1];
  }

  /**
   * Decodes bytes {@code [from, to)} of {@code in} into {@code out} from its start (it needs room
   * for {@code 8 * (to - from) / 5} bytes, as the shortest code has 5 bits); returns the number of
   * bytes decoded, or -1 when the string is not valid.
   */
  static int decode(byte[] in, int from, int to, byte[] out) {
    int symbols = 0;
    int step = ACCEPTS; // state 0, the root: an empty string is valid
    for (int i = from; i < to; i++) {
      int b = in[i];
      for (int shift = 4; shift >= 0; shift -= 4) {
        step = STEPS[(step & 0xff) << 4 | b >>> shift & 0xf];
        if ((step & (EMITS | FAILS)) != 0) {
          if ((step & FAILS) != 0) {
            return -1;
          }
          out[symbols++] = (byte) (step >>> 8);
        }
      }
    }
    return (step & ACCEPTS) != 0 ? symbols : -1;
  }

  private static int[] buildCodes() {
    int[] codes = new int[2 * (EOS + 1)];
    String[] lengths = LENGTHS.split(" ");
    int code = 0;
    for (int length = 1; length <= 30; length++, code <<= 1) {
      for (int symbol = 0; symbol <= EOS; symbol++) {
        if (Integer.parseInt(lengths[symbol]) == length) {
          codes[2 * symbol] = code++;
          codes[2 * symbol + 1] = length;
        }
      }
    }
    return codes;
  }

  private static int[] buildTree() {
    // a complete code of 257 leaves has 256 inner nodes, each with two slots
    int[] tree = new int[2 * 256];
    int nodes = 1;
    for (int symbol = 0; symbol <= EOS; symbol++) {
      int node = 0;
      for (int bit = length(symbol) - 1; bit >= 0; bit--) {
        int slot = 2 * node + (code(symbol) >>> bit & 1);
        if (bit == 0) {
          tree[slot] = -(symbol + 1);
        } else {
          if (tree[slot] == 0) {
            tree[slot] = nodes++;
          }
          node = tree[slot];
        }
      }
    }
    return tree;
  }

  private static int[] buildSteps() {
    boolean[] accepting = new boolean[256];
    for (int node = 0, depth = 0; depth < 8; node = TREE[2 * node + 1], depth++) {
      accepting[node] = true; // the all-ones path from the root, up to 7 bits (§5.2)
    }
    int[] steps = new int[256 * 16];
    for (int state = 0; state < 256; state++) {
      for (int nibble = 0; nibble < 16; nibble++) {
        int node = state;
        int step = 0;
        for (int bit = 3; bit >= 0; bit--) {
          int next = TREE[2 * node + (nibble >>> bit & 1)];
          node = Math.max(next, 0);
          if (next == -(EOS + 1)) {
            step |= FAILS;
          } else if (next < 0) {
            step |= EMITS | (-next - 1) << 8;
          }
        }
        steps[state << 4 | nibble] = step | node | (accepting[node] ? ACCEPTS : 0);
      }
    }
    return steps;
  }
}
