// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void hexValues() {
    assertEquals(0, Grammar.hexValue('0'));
    assertEquals(10, Grammar.hexValue('a'));
    assertEquals(15, Grammar.hexValue('F'));
    assertEquals(-1, Grammar.hexValue('g'));
    assertEquals(-1, Grammar.hexValue('x'));
    assertEquals(-1, Grammar.hexValue(' '));
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
