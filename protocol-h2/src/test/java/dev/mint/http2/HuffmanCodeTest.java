// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our Huffman table and decoder (RFC 7541 §5.2, Appendix B). */
@ExtendWith(SeedReporter.class)
class HuffmanCodeTest {

  @Test
  void theTableIsACompleteCanonicalCode() {
    // Kraft: a complete prefix code has sum(2^-length) == 1; every length is 5..30
    long kraft = 0;
    List<Integer> symbols = new ArrayList<>();
    for (int s = 0; s <= HuffmanCode.EOS; s++) {
      int length = HuffmanCode.length(s);
      assertEquals(true, length >= 5 && length <= 30, "length of " + s);
      assertEquals(0, HuffmanCode.code(s) >>> length, "code of " + s + " fits its length");
      kraft += 1L << (30 - length);
      symbols.add(s);
    }
    assertEquals(1L << 30, kraft);
    // canonical: by length, then symbol, each code is the previous plus one, shifted left
    symbols.sort(
        (a, b) ->
            HuffmanCode.length(a) != HuffmanCode.length(b)
                ? HuffmanCode.length(a) - HuffmanCode.length(b)
                : a - b);
    long expected = 0;
    for (int i = 1; i < symbols.size(); i++) {
      int before = symbols.get(i - 1);
      int s = symbols.get(i);
      expected = (expected + 1) << (HuffmanCode.length(s) - HuffmanCode.length(before));
      assertEquals(expected, HuffmanCode.code(s), "code of " + s);
    }
    assertEquals(0x3fffffff, HuffmanCode.code(HuffmanCode.EOS));
  }

  /** RFC 7541 C.4 (requests) and C.6 (responses), the Huffman-coded strings. */
  @ParameterizedTest
  @CsvSource({
    "f1e3c2e5f23a6ba0ab90f4ff, www.example.com",
    "a8eb10649cbf, no-cache",
    "25a849e95ba97d7f, custom-key",
    "25a849e95bb8e8b4bf, custom-value",
    "6402, 302",
    "640eff, 307",
    "aec3771a4b, private",
    "d07abe941054d444a8200595040b8166e082a62d1bff, 'Mon, 21 Oct 2013 20:13:21 GMT'",
    "d07abe941054d444a8200595040b8166e084a62d1bff, 'Mon, 21 Oct 2013 20:13:22 GMT'",
    "9d29ad171863c78f0b97c8e9ae82ae43d3, https://www.example.com",
    "9bd9ab, gzip",
    "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007,"
        + " 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'"
  })
  void decodesTheRfcExamples(String hex, String text) {
    Bytes coded = Bytes.of(HexFormat.of().parseHex(hex));
    assertEquals(
        text,
        new String(HuffmanStrings.decode(coded, 0, coded.length()), StandardCharsets.ISO_8859_1));
    assertEquals(text.length(), HuffmanStrings.decodedLength(coded, 0, coded.length()));
    assertArrayEquals(coded.toByteArray(), encode(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void eosInsideAStringIsRejected() {
    // EOS is 30 one bits: alone (with 2 bits of padding), and after 'a' (00011)
    assertInvalid("ffffffff");
    assertInvalid("1fffffffff");
    assertInvalid("ffffffff" + "1f");
  }

  @Test
  void paddingMustBeShortAndAllOnes() {
    assertEquals(1, HuffmanStrings.decodedLength(hex("1f"), 0, 1)); // 'a' then 111
    assertInvalid("1a"); // 'a' then 010: padding not from EOS
    assertInvalid("18"); // 'a' then 000
    assertInvalid("1fff"); // 'a' then 11 one bits: padding of 8 bits or more
    assertInvalid("ff"); // a whole byte of padding
    assertInvalid("fe"); // an unfinished code with a zero
    assertInvalid("f1e3c2e5f23a6ba0ab90f4ffff"); // www.example.com with an extra padding byte
    assertEquals(0, HuffmanStrings.decodedLength(hex(""), 0, 0));
  }

  @Test
  void everySymbolRoundTripsAndAgreesWithTheLibrary() throws Http2Error {
    Random random = new Random(SeedReporter.SEED);
    for (int run = 0; run < 200; run++) {
      byte[] text = new byte[random.nextInt(40)];
      for (int i = 0; i < text.length; i++) {
        text[i] = (byte) (run < 256 && i == 0 ? run : random.nextInt(256));
      }
      byte[] coded = encode(text);
      assertArrayEquals(text, HuffmanStrings.decode(Bytes.of(coded), 0, coded.length));
      // the same string as a Huffman-coded literal value, decoded by the library
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      block.write(0x01); // literal without indexing, name index 1 (:authority)
      writeLength(block, coded.length);
      block.writeBytes(coded);
      Headers fields = new HpackDecoder(1 << 20).decode(Bytes.of(block.toByteArray()));
      assertEquals(new String(text, StandardCharsets.ISO_8859_1), fields.get(":authority"));
    }
    for (int symbol = 0; symbol < 256; symbol++) {
      byte[] one = {(byte) symbol};
      byte[] coded = encode(one);
      assertArrayEquals(one, HuffmanStrings.decode(Bytes.of(coded), 0, coded.length), "" + symbol);
    }
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 127) {
      out.write(0x80 | length);
      return;
    }
    out.write(0xff);
    int rest = length - 127;
    while (rest >= 128) {
      out.write(rest & 0x7f | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  /** Huffman-codes {@code text} with the table, padding with ones (RFC 7541 §5.2). */
  static byte[] encode(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bits = 0;
    int n = 0;
    for (byte b : text) {
      int symbol = b & 0xff;
      bits = bits << HuffmanCode.length(symbol) | HuffmanCode.code(symbol);
      n += HuffmanCode.length(symbol);
      while (n >= 8) {
        out.write((int) (bits >>> (n - 8)));
        n -= 8;
      }
    }
    if (n > 0) {
      out.write((int) (bits << (8 - n) | 0xff >>> n));
    }
    return out.toByteArray();
  }

  private static Bytes hex(String hex) {
    return Bytes.of(HexFormat.of().parseHex(hex));
  }

  private static void assertInvalid(String hex) {
    Bytes b = hex(hex);
    assertEquals(-1, HuffmanStrings.decodedLength(b, 0, b.length()), hex);
    assertNull(HuffmanStrings.decode(b, 0, b.length()), hex);
  }
}
