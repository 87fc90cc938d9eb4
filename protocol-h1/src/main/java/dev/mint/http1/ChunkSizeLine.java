// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.FieldRules;
import java.nio.ByteBuffer;

/**
 * The chunk-size line of a chunked body (RFC 9112 §7.1): {@code chunk-size [ chunk-ext ]}, the size
 * in hexadecimal, the extensions checked against their grammar and ignored (§7.1.1 lets a recipient
 * ignore them). Stateless; {@link ResponseReader} finds the line and bounds its length.
 */
final class ChunkSizeLine {
  private ChunkSizeLine() {}

  /**
   * The chunk size in the line {@code b[s, e)}, terminator removed.
   *
   * @throws HttpException {@link Reason#INVALID_CHUNK_SIZE} (peer, connection) when the size is
   *     missing, not hexadecimal or past 64 bits, or an extension breaks the grammar
   */
  static long parse(ByteBuffer b, int s, int e) throws HttpException {
    long size = 0;
    int i = s;
    while (i < e) {
      int d = Grammar.hexValue(b.get(i));
      if (d < 0) {
        break;
      }
      if (size > (Long.MAX_VALUE >>> 4)) {
        throw HttpException.peer(
            Reason.INVALID_CHUNK_SIZE, "chunk size overflows a 64-bit length at offset " + (i - s));
      }
      size = size << 4 | d;
      i++;
    }
    if (i == s) {
      throw HttpException.peer(
          Reason.INVALID_CHUNK_SIZE,
          i == e
              ? "empty chunk-size line"
              : "invalid byte " + Grammar.hexByte(b.get(i)) + " in chunk size at offset 0");
    }
    checkExtensions(b, i, e, s);
    return size;
  }

  /**
   * Checks the chunk extensions in {@code b[i, e)} against RFC 9112 §7.1.1, {@code *( BWS ";" BWS
   * name [ BWS "=" BWS ( token / quoted-string ) ] )}, then ignores them. Whitespace after the last
   * one (or after a size without any) is tolerated. The grammar is checked rather than skipped
   * because a quoted string left open at the line end, or stray bytes, are where parsers disagree
   * about where a chunk starts.
   */
  private static void checkExtensions(ByteBuffer b, int i, int e, int s) throws HttpException {
    while (true) {
      i = skipOws(b, i, e);
      if (i == e) {
        return;
      }
      if (b.get(i) != ';') {
        throw HttpException.peer(
            Reason.INVALID_CHUNK_SIZE,
            "invalid byte "
                + Grammar.hexByte(b.get(i))
                + " after the chunk size at offset "
                + (i - s)
                + ", where only ';' and a chunk extension may follow (RFC 9112 §7.1.1)");
      }
      i = skipOws(b, i + 1, e);
      i = extensionToken(b, i, e, s, "chunk extension name");
      int afterName = skipOws(b, i, e);
      if (afterName < e && b.get(afterName) == '=') {
        i = skipOws(b, afterName + 1, e);
        i =
            i < e && b.get(i) == '"'
                ? quotedString(b, i, e, s)
                : extensionToken(b, i, e, s, "chunk extension value");
      }
    }
  }

  private static int skipOws(ByteBuffer b, int i, int e) {
    while (i < e && FieldRules.isWhitespace(b.get(i))) {
      i++;
    }
    return i;
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
    return HttpException.peer(
        Reason.INVALID_CHUNK_SIZE,
        (i == e ? "chunk-size line ends" : "invalid byte " + Grammar.hexByte(b.get(i)))
            + " at offset "
            + (i - s)
            + " where a "
            + what
            + " belongs (RFC 9112 §7.1.1)");
  }
}
