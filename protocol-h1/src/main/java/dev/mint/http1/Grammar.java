// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.FieldRules;
import java.nio.ByteBuffer;

/**
 * The HTTP/1.1 message syntax beyond fields (RFC 9112 §2, §7.1): line bytes, hexadecimal chunk
 * sizes and the chunk-size line, lists of tokens, and bytes in messages. The field rules themselves
 * (tokens, field values, content-length) are {@link FieldRules}, shared with HTTP/2. Stateless.
 */
final class Grammar {
  static final byte CR = '\r';
  static final byte LF = '\n';
  static final byte SP = ' ';

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Grammar() {}

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

  /**
   * The chunk size in the chunk-size line {@code b[s, e)}, terminator removed (RFC 9112 §7.1):
   * {@code chunk-size [ chunk-ext ]}, the size in hexadecimal. The extensions, {@code *( BWS ";"
   * BWS name [ BWS "=" BWS ( token / quoted-string ) ] )} (§7.1.1), are checked and ignored (§7.1.1
   * lets a recipient ignore them); whitespace after the last one, or after a size without any, is
   * tolerated. The grammar is checked rather than skipped because a quoted string left open at the
   * line end, or stray bytes, are where parsers disagree about where a chunk starts. The caller
   * finds the line and bounds its length.
   *
   * @throws HttpException {@link Reason#INVALID_CHUNK_SIZE} (peer, connection) when the size is
   *     missing, not hexadecimal or past 64 bits, or an extension breaks the grammar
   */
  static long chunkSize(ByteBuffer b, int s, int e) throws HttpException {
    long size = 0;
    int i = s;
    // of the code points a byte can be (a negative one is none), only ASCII ones are hex digits
    for (int d; i < e && (d = Character.digit(b.get(i), 16)) >= 0; i++) {
      if (size > (Long.MAX_VALUE >>> 4)) {
        throw HttpException.peer(
            Reason.INVALID_CHUNK_SIZE, "chunk size overflows a 64-bit length at offset " + (i - s));
      }
      size = size << 4 | d;
    }
    if (i == s) {
      throw HttpException.peer(
          Reason.INVALID_CHUNK_SIZE,
          i == e
              ? "empty chunk-size line"
              : "invalid byte " + hexByte(b.get(i)) + " in chunk size at offset 0");
    }
    for (i = skipOws(b, i, e); i < e; i = skipOws(b, i, e)) {
      if (b.get(i) != ';') {
        throw HttpException.peer(
            Reason.INVALID_CHUNK_SIZE,
            "invalid byte "
                + hexByte(b.get(i))
                + " after the chunk size at offset "
                + (i - s)
                + ", where only ';' and a chunk extension may follow (RFC 9112 §7.1.1)");
      }
      i = extensionToken(b, skipOws(b, i + 1, e), e, s, "chunk extension name");
      int afterName = skipOws(b, i, e);
      if (afterName < e && b.get(afterName) == '=') {
        i = skipOws(b, afterName + 1, e);
        i =
            i < e && b.get(i) == '"'
                ? quotedString(b, i, e, s)
                : extensionToken(b, i, e, s, "chunk extension value");
      }
    }
    return size;
  }

  /** The index of the first {@code v} in {@code b[from, to)}, or {@code to}. */
  static int indexOf(ByteBuffer b, int from, int to, byte v) {
    byte[] a = b.hasArray() ? b.array() : null; // the array: no bounds and read-only checks
    int offset = a == null ? 0 : b.arrayOffset();
    while (from < to && (a == null ? b.get(from) : a[offset + from]) != v) {
      from++;
    }
    return from;
  }

  /** {@code i} moved past the OWS (SP, HTAB) that starts {@code b[i, e)}. */
  static int skipOws(ByteBuffer b, int i, int e) {
    while (i < e && FieldRules.isWhitespace(b.get(i))) {
      i++;
    }
    return i;
  }

  /** The end of {@code b[s, e)} without its trailing OWS. */
  static int trimOws(ByteBuffer b, int s, int e) {
    while (e > s && FieldRules.isWhitespace(b.get(e - 1))) {
      e--;
    }
    return e;
  }

  /** The end of the token at {@code i}, which must hold at least one {@code tchar}. */
  private static int extensionToken(ByteBuffer b, int i, int e, int s, String what)
      throws HttpException {
    int start = i;
    while (i < e && FieldRules.isTokenByte(b.get(i))) {
      i++;
    }
    if (i == start) {
      throw badExtension(b, i, e, s, what);
    }
    return i;
  }

  /**
   * The end of the quoted-string opening at {@code i} (RFC 9110 §5.6.4): qdtext is HTAB, SP, VCHAR
   * but {@code "} and {@code \}, and obs-text; a quoted-pair escapes HTAB, SP, VCHAR or obs-text.
   */
  private static int quotedString(ByteBuffer b, int i, int e, int s) throws HttpException {
    for (i++; i < e; i++) {
      int c = b.get(i) & 0xff;
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        i++;
        if (i == e) {
          break;
        }
        c = b.get(i) & 0xff;
      }
      if (!FieldRules.isFieldValueByte(c)) {
        throw badExtension(b, i, e, s, "quoted chunk extension value");
      }
    }
    throw HttpException.peer(
        Reason.INVALID_CHUNK_SIZE,
        "quoted chunk extension value not closed before the end of the chunk-size line"
            + " (RFC 9112 §7.1.1)");
  }

  private static HttpException badExtension(ByteBuffer b, int i, int e, int s, String what) {
    String found = i == e ? "chunk-size line ends" : "invalid byte " + hexByte(b.get(i));
    return HttpException.peer(
        Reason.INVALID_CHUNK_SIZE,
        "%s at offset %s where a %s belongs (RFC 9112 §7.1.1)".formatted(found, i - s, what));
  }
}
