// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pieces that make HPACK decoding cheap: the Huffman state table (against a bit-by-bit walk of
 * the code written here), the shared and recent strings and their bound, a block read in place, and
 * the encoder's reused output and bytes.
 */
@ExtendWith(SeedReporter.class)
class HpackFastPathTest {

  /**
   * The reference: the RFC's rules walked one bit at a time over the code table. Returns the
   * decoded bytes, or null when EOS appears or the padding is 8 bits or more or not all ones.
   */
  private static byte[] bitByBit(byte[] in) {
    byte[] out = new byte[in.length * 8 / 5];
    int n = 0;
    long bits = 0;
    int length = 0;
    for (int i = 0; i < in.length * 8; i++) {
      bits = bits << 1 | (in[i / 8] >>> (7 - i % 8) & 1);
      length++;
      for (int s = 0; s <= HuffmanCode.EOS; s++) {
        if (HuffmanCode.length(s) == length && HuffmanCode.code(s) == bits) {
          if (s == HuffmanCode.EOS) {
            return null;
          }
          out[n++] = (byte) s;
          bits = 0;
          length = 0;
          break;
        }
      }
    }
    boolean padding = length <= 7 && bits == (1L << length) - 1;
    return padding ? Arrays.copyOf(out, n) : null;
  }

  private static void assertAgrees(byte[] in) {
    byte[] expected = bitByBit(in);
    Bytes b = Bytes.of(in);
    assertArrayEquals(expected, HuffmanStrings.decode(b, 0, in.length), Arrays.toString(in));
    assertEquals(
        expected == null ? -1 : expected.length, HuffmanStrings.decodedLength(b, 0, in.length));
  }

  @Test
  void theStateTableAgreesWithABitByBitWalkOnRandomBytes() {
    Random random = new Random(SeedReporter.SEED);
    for (int run = 0; run < 5000; run++) {
      byte[] in = new byte[random.nextInt(12)];
      random.nextBytes(in);
      assertAgrees(in);
    }
  }

  @Test
  void theStateTableAgreesOnEverySingleSymbolWithEveryPadding() {
    for (int s = 0; s <= HuffmanCode.EOS; s++) {
      int length = HuffmanCode.length(s);
      int bytes = (length + 7) / 8;
      int spare = bytes * 8 - length;
      // every filling of the spare bits (only all ones is valid), and one byte more of ones
      for (int pad = 0; pad < 1 << spare; pad++) {
        assertAgrees(toBytes((long) HuffmanCode.code(s) << spare | pad, bytes));
      }
      assertAgrees(
          toBytes(((long) HuffmanCode.code(s) << spare | (1 << spare) - 1) << 8 | 0xff, bytes + 1));
      // the symbol on its own, repeated to a byte boundary: no padding at all
      long run = 0;
      for (int i = 0; i < 8; i++) {
        run = run << length | HuffmanCode.code(s);
      }
      if (length <= 7) {
        assertAgrees(toBytes(run, length));
      }
    }
  }

  private static byte[] toBytes(long value, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (value >>> (8 * (n - 1 - i)));
    }
    return b;
  }

  @Test
  void theCodesFollowingFromTheLengthsAreTheRfcs() {
    // RFC 7541 Appendix B, a few rows of each length class
    int[][] rows = {
      {0, 0x1ff8, 13},
      {10, 0x3ffffffc, 30},
      {32, 0x14, 6},
      {48, 0x0, 5},
      {97, 0x3, 5},
      {123, 0x7ffe, 15},
      {128, 0xfffe6, 20},
      {200, 0x3ffffe2, 26},
      {255, 0x3ffffee, 26},
      {256, 0x3fffffff, 30}
    };
    for (int[] row : rows) {
      assertEquals(row[1], HuffmanCode.code(row[0]), "code of " + row[0]);
      assertEquals(row[2], HuffmanCode.length(row[0]), "length of " + row[0]);
    }
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The string {@code strings} gives for the bytes of {@code s}. */
  private static String of(HeaderStrings strings, String s, boolean secret) {
    byte[] bytes = latin1(s);
    return strings.of(bytes, 0, bytes.length, secret);
  }

  @Test
  void staticAndCommonStringsAreSharedByEveryConnection() {
    HeaderStrings one = new HeaderStrings();
    HeaderStrings two = new HeaderStrings();
    for (String s : new String[] {":status", "content-type", "gzip, deflate", "200", "x-cache"}) {
      assertSame(of(one, s, false), of(two, s, false), s);
      assertEquals(s, of(one, s, true));
    }
    assertEquals(61 * 2, HeaderStrings.STATIC_TABLE.size());
    assertEquals(":authority", HeaderStrings.STATIC_TABLE.get(0));
    assertEquals("www-authenticate", HeaderStrings.STATIC_TABLE.get(120));
    assertEquals(0, one.kept());
  }

  @Test
  void recentStringsAreReusedWithinTheirBound() {
    HeaderStrings strings = new HeaderStrings();
    String etag = of(strings, "\"65f1c2a0-1b3d\"", false);
    assertSame(etag, of(strings, "\"65f1c2a0-1b3d\"", false));
    assertEquals(1, strings.kept());
    // secrets and long strings are made anew every time and not kept
    String secret = of(strings, "sid=31415926", true);
    assertNotSame(secret, of(strings, "sid=31415926", true));
    String longest = "x".repeat(HeaderStrings.MAX_RECENT_LENGTH);
    assertSame(of(strings, longest, false), of(strings, longest, false));
    String tooLong = longest + "x";
    assertNotSame(of(strings, tooLong, false), of(strings, tooLong, false));
    assertEquals(2, strings.kept());
    // however many different strings pass, at most RECENT_SLOTS stay
    for (int i = 0; i < 10_000; i++) {
      assertEquals("v" + i, of(strings, "v" + i, false));
    }
    assertTrue(strings.kept() <= HeaderStrings.RECENT_SLOTS, "kept " + strings.kept());
    assertEquals(
        HeaderStrings.RECENT_SLOTS, HeaderStrings.RECENT_SLOTS & -HeaderStrings.RECENT_SLOTS);
  }

  @Test
  void aRepeatedValueDecodesToTheSameStringAndASecretDoesNot() throws Http2Error {
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    Headers fields = Headers.of("etag", "\"abc-1\"", "authorization", "Bearer t0k3n", "x-id", "42");
    Headers first = decoder.decode(Raw.block(encoder, fields));
    Headers second = decoder.decode(Raw.block(encoder, fields));
    assertEquals(fields, first);
    assertEquals(fields, second);
    assertSame(first.value(0), second.value(0));
    assertSame(first.name(2), second.name(2));
    assertNotSame(first.value(1), second.value(1));
  }

  @Test
  void aBlockIsReadWhereItLiesInsideALargerArray() throws Http2Error {
    Headers fields = Headers.of(":status", "200", "content-length", "1024", "x-a", "b".repeat(300));
    byte[] block = Raw.block(new TwitterHpackEncoder(), fields).toByteArray();
    byte[] around = new byte[block.length + 20];
    Arrays.fill(around, (byte) 0xff); // an invalid index, should the decoder read outside
    System.arraycopy(block, 0, around, 10, block.length);
    Bytes slice = Bytes.of(around).slice(10, 10 + block.length);
    assertEquals(fields, new HpackDecoder(1 << 20).decode(slice));
  }

  @Test
  void theEncodersReusedOutputAndBytesGiveTheSameBlocksAsNewOnes() throws Http2Error {
    TwitterHpackEncoder reused = new TwitterHpackEncoder();
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    Random random = new Random(SeedReporter.SEED);
    for (int i = 0; i < 200; i++) {
      // small and large blocks in turn: the output grows past 4 KiB and is replaced after
      String big = "v".repeat(i % 7 == 0 ? 5000 + random.nextInt(5000) : random.nextInt(80));
      Headers fields =
          Headers.of(":path", "/p" + random.nextInt(5), "cookie", "c=" + i, "x-big", big);
      Bytes block = Raw.block(reused, fields);
      assertEquals(fields, decoder.decode(block));
      TwitterHpackEncoder fresh = new TwitterHpackEncoder();
      if (i == 0) {
        assertEquals(Raw.block(fresh, fields), block);
      }
    }
  }

  @Test
  void staticFieldsAreSentAsTheLibrarySendsThem() throws Exception {
    // every static entry but secrets, twice: indexed fields of the static table throughout
    List<String> table = HeaderStrings.STATIC_TABLE;
    Headers.Builder all = Headers.builder();
    for (int i = 0; i < table.size(); i += 2) {
      if (!List.of("authorization", "proxy-authorization", "cookie").contains(table.get(i))) {
        all.add(table.get(i), table.get(i + 1)); // (secrets are never indexed: not compared)
      }
    }
    all.add(":authority", "example.com").add(":method", "GET").add("x-a", "1");
    Headers fields = all.build();
    com.twitter.hpack.Encoder library = new com.twitter.hpack.Encoder(4096);
    TwitterHpackEncoder ours = new TwitterHpackEncoder();
    for (int round = 0; round < 2; round++) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      for (int i = 0; i < fields.size(); i++) {
        library.encodeHeader(expected, latin1(fields.name(i)), latin1(fields.value(i)), false);
      }
      Bytes block = Raw.block(ours, fields);
      assertEquals(Bytes.of(expected.toByteArray()), block, "round " + round);
      assertEquals((byte) 0x81, block.byteAt(0)); // :authority with no value: index 1
    }
  }
}
