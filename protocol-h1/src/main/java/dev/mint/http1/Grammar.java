// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.spi.FieldRules;

/**
 * The HTTP/1.1 message syntax both engine halves share (RFC 9112 §2, §7.1): line bytes, hexadecimal
 * chunk sizes, lists of tokens, and bytes in messages. The field rules themselves (tokens, field
 * values, content-length) are {@link FieldRules}, shared with HTTP/2.
 */
final class Grammar {
  static final byte CR = '\r';
  static final byte LF = '\n';
  static final byte SP = ' ';
  static final byte HTAB = '\t';

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Grammar() {}

  /** The value of hexadecimal digit {@code b}, or -1 when it is not one. */
  static int hexValue(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  /** The number of lower-case hexadecimal digits needed for {@code v} (at least one). */
  static int hexLength(long v) {
    return v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) / 4;
  }

  /** Writes {@code v} in lower-case hexadecimal at {@code at}; returns the index after it. */
  static int putHex(byte[] dst, int at, long v) {
    int n = hexLength(v);
    for (int i = n - 1; i >= 0; i--) {
      dst[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return at + n;
  }

  /** Formats a byte for error messages: {@code 0x0a}. */
  static String hexByte(int b) {
    int v = b & 0xff;
    return "0x" + (char) HEX[v >>> 4] + (char) HEX[v & 0xf];
  }

  /**
   * Whether the comma-separated list {@code value} holds {@code token}, ignoring ASCII case and
   * optional whitespace (RFC 9110 §5.6.1), as {@code connection: keep-alive, Close} holds {@code
   * close}.
   */
  static boolean listContains(String value, String token) {
    int n = value.length();
    int i = 0;
    while (i < n) {
      int comma = value.indexOf(',', i);
      int end = comma < 0 ? n : comma;
      int s = i;
      int e = end;
      while (s < e && FieldRules.isWhitespace(value.charAt(s))) {
        s++;
      }
      while (e > s && FieldRules.isWhitespace(value.charAt(e - 1))) {
        e--;
      }
      if (e - s == token.length() && value.regionMatches(true, s, token, 0, e - s)) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }
}
