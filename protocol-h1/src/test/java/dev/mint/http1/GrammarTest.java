// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small codecs both engine halves rely on; the field rules are tested in spi. */
class GrammarTest {

  private static String hex(long v) {
    byte[] b = new byte[Grammar.hexLength(v)];
    assertEquals(b.length, Grammar.putHex(b, 0, v));
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void hexMatchesTheJdk() {
    long[] values = {0, 1, 9, 10, 15, 16, 255, 256, 300, 4095, 4096, 1L << 31, Long.MAX_VALUE};
    for (long v : values) {
      assertEquals(Long.toHexString(v), hex(v), Long.toString(v));
    }
  }

  private static long chunkSize(String line) throws HttpException {
    byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
    return Grammar.chunkSize(ByteBuffer.wrap(b), 0, b.length);
  }

  @Test
  void hexValues() throws Exception {
    assertEquals(0, chunkSize("0"));
    assertEquals(10, chunkSize("a"));
    assertEquals(15, chunkSize("F"));
    assertThrows(HttpException.class, () -> chunkSize("g"));
    assertThrows(HttpException.class, () -> chunkSize("x"));
    assertThrows(HttpException.class, () -> chunkSize(" "));
    assertThrows(HttpException.class, () -> chunkSize("\u00e9")); // a negative byte is no digit
  }

  @Test
  void listContainsIgnoresCaseAndWhitespace() {
    assertTrue(Grammar.listContains("close", "close"));
    assertTrue(Grammar.listContains("keep-alive, Close", "close"));
    assertTrue(Grammar.listContains(" ,\tCLOSE\t, x", "close"));
    assertFalse(Grammar.listContains("closed", "close"));
    assertFalse(Grammar.listContains("keep-alive", "close"));
    assertFalse(Grammar.listContains("", "close"));
    assertFalse(Grammar.listContains("x-close", "close"));
  }

  @Test
  void hexBytes() {
    assertEquals("0x0a", Grammar.hexByte('\n'));
    assertEquals("0xff", Grammar.hexByte(-1));
  }
}
