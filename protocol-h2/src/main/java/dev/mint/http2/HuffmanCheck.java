package dev.mint.http2;

import dev.mint.Bytes;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a Huffman-coded HPACK string (RFC 7541 §5.2) the way the RFC requires and Twitter's hpack
 * 1.0.2 does not: the EOS symbol must not appear, and the padding must be fewer than 8 bits, all
 * ones. (The library silently accepts both, which would let a peer send strings we would not
 * reject.)
 *
 * <p>The code table is the library's own (its package-private {@code HpackUtil} tables, readable
 * because an automatic module opens its packages), so it cannot drift from the decoder's. Should a
 * future library version move them, the check turns itself off and says so in the log.
 */
final class HuffmanCheck {
  private static final Logger LOG = LoggerFactory.getLogger(HuffmanCheck.class);
  private static final int EOS = 256;

  /**
   * The decoding tree: node {@code n} has children at {@code 2n} (bit 0) and {@code 2n+1} (bit 1);
   * a positive entry is a node, a negative one the leaf {@code -(symbol + 1)}; null when the table
   * could not be read.
   */
  private static final int[] TREE = buildTree();

  private HuffmanCheck() {}

  /** Whether bytes {@code [from, to)} of {@code block} are a valid Huffman-coded string. */
  static boolean isValid(Bytes block, int from, int to) {
    if (TREE == null) {
      return true;
    }
    int node = 0;
    int pendingBits = 0;
    boolean pendingOnes = true;
    for (int i = from; i < to; i++) {
      int b = block.byteAt(i) & 0xff;
      for (int shift = 7; shift >= 0; shift--) {
        int bit = b >>> shift & 1;
        int next = TREE[2 * node + bit];
        pendingBits++;
        pendingOnes &= bit == 1;
        if (next < 0) {
          if (-next - 1 == EOS) {
            return false;
          }
          node = 0;
          pendingBits = 0;
          pendingOnes = true;
        } else if (next == 0) {
          return false;
        } else {
          node = next;
        }
      }
    }
    return pendingBits <= 7 && pendingOnes;
  }

  private static int[] buildTree() {
    try {
      Class<?> util = Class.forName("com.twitter.hpack.HpackUtil");
      int[] codes = (int[]) read(util, "HUFFMAN_CODES");
      byte[] lengths = (byte[]) read(util, "HUFFMAN_CODE_LENGTHS");
      int[] tree = new int[4 * codes.length];
      int nodes = 1;
      for (int symbol = 0; symbol < codes.length; symbol++) {
        int node = 0;
        for (int bit = lengths[symbol] - 1; bit >= 0; bit--) {
          int slot = 2 * node + (codes[symbol] >>> bit & 1);
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
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("HPACK Huffman strictness check disabled: cannot read the code table", e);
      return null;
    }
  }

  private static Object read(Class<?> owner, String name) throws ReflectiveOperationException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(null);
  }
}
