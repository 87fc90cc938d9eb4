// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.FieldRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parses the lines of a header or trailer section (RFC 9112 §5) into a field list, straight from
 * the received buffer: names lower-cased, values without surrounding whitespace, obs-fold replaced
 * by one space (RFC 9112 §5.2). Values are decoded as ISO-8859-1, so every byte a peer may send
 * (obs-text included, RFC 9110 §5.5) maps to one character and back.
 *
 * <p>Strict by design (whitespace before a colon is the request-smuggling vector of RFC 9112 §5.1):
 * every error names the rule, the byte and its offset within the section.
 *
 * <p>A server sends much the same section on every response of a connection, so a name or value
 * equal to the one at the same position in the previous section is that section's {@code String}
 * again, not a new one; the previous section is kept for this only while it is small ({@link
 * #MAX_REUSED_CHARS}), so that an idle connection does not hold a large one. A line with the bytes
 * of the one at its place in the previous section is not parsed: it has that line's name and value
 * (lines kept up to {@link #MAX_REUSED_CHARS} bytes), and a section of such lines reuses its array.
 */
final class FieldParser {
  /**
   * The most characters a section may hold, names and values together, to be kept for reuse by the
   * next one, and the most bytes of its lines kept as received: 512 each, what a typical response
   * head takes, so that what an idle connection keeps stays small.
   */
  static final int MAX_REUSED_CHARS = 512;

  private static final String[] NO_STRINGS = {};

  private final ArrayList<String> fields = new ArrayList<>();

  /**
   * The kept lines, each followed by an LF (which no line holds), line {@code i} for field {@code
   * i}: this section's before {@link #cursor}, the previous one's from there to {@link #keptEnd}.
   * The cursor is {@link #MAX_REUSED_CHARS} once no more lines of this section can be kept.
   */
  private byte[] lines = new byte[0];

  private int keptEnd;
  private int cursor;
  private int reused; // lines of this section that were kept lines, none folded

  /** The names and values of the previous section, for reuse, or null. Never written. */
  private String[] previous;

  /**
   * The value of the last field while obs-fold lines extend it, or null. Joining in a builder keeps
   * a value folded over many lines linear in its size: re-concatenating the value so far for every
   * line was quadratic, seconds of copying for a header section of a few hundred KiB.
   */
  private StringBuilder folded;

  /** Whether no field was parsed since the last {@link #clear()}. */
  boolean isEmpty() {
    return fields.isEmpty();
  }

  /** Bytes held: the parsed fields, a value being folded, the previous section, the kept lines. */
  long retainedBytes() {
    long n = folded == null ? 0 : folded.capacity();
    return n + lines.length + fields.stream().mapToLong(String::length).sum() + chars(previous);
  }

  /** Forgets the fields of the section just emitted. */
  void clear() {
    fields.clear();
    folded = null;
  }

  /**
   * Lets go of everything: the parser will not be used again (the connection failed or closed).
   * Without this a section cut short by an error stayed reachable, up to the section limit, for as
   * long as the caller held the connection.
   */
  void release() {
    clear();
    fields.trimToSize();
    previous = null;
    lines = new byte[0];
    keptEnd = cursor = reused = 0;
  }

  /** The fields parsed so far, in order. */
  Headers toHeaders() {
    endFold();
    if (fields.isEmpty()) {
      return Headers.empty();
    }
    boolean same = fields.size() == 2 * reused && previous.length == fields.size();
    String[] array = same ? previous : fields.toArray(NO_STRINGS); // the same section again
    previous = same || chars(array) <= MAX_REUSED_CHARS ? array : null;
    keptEnd = previous == null ? 0 : Math.min(keptEnd, cursor);
    lines = keptEnd == 0 ? new byte[0] : lines; // no bytes of a large section stay with an idle one
    cursor = reused = 0;
    return ApiAccess.headersOver(array); // array is never written again
  }

  private static long chars(String[] strings) {
    long n = 0;
    for (String s : strings == null ? NO_STRINGS : strings) {
      n += s.length();
    }
    return n;
  }

  /** The string at {@code index} of the previous section, or null. */
  private String previous(int index) {
    return previous != null && index < previous.length ? previous[index] : null;
  }

  /**
   * {@code b[s, e)} as a string, every byte one character (ISO-8859-1; RFC 9110 §5.5: obs-text is
   * opaque), lower-cased when {@code lower}: {@code kept} itself when it holds exactly those
   * characters, so that a string received before serves again, else a new one.
   */
  static String decode(String kept, ByteBuffer b, int s, int e, boolean lower) {
    if (kept != null && holds(kept, b, s, e, lower)) {
      return kept;
    }
    String made =
        b.hasArray()
            ? new String(b.array(), b.arrayOffset() + s, e - s, StandardCharsets.ISO_8859_1)
            : StandardCharsets.ISO_8859_1.decode(b.slice(s, e - s)).toString();
    return lower ? made.toLowerCase(Locale.ROOT) : made;
  }

  private static boolean holds(String kept, ByteBuffer b, int s, int e, boolean lower) {
    if (kept.length() != e - s) {
      return false;
    }
    for (int i = s; i < e; i++) {
      int c = b.get(i) & 0xff;
      if (lower && c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (kept.charAt(i - s) != c) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses one field line, {@code b[s, e)} without its line terminator and not empty; {@code
   * offset} is the section offset of {@code s}, for messages.
   */
  void parseLine(ByteBuffer b, int s, int e, int offset, String section) throws HttpException {
    if (FieldRules.isWhitespace(b.get(s))) {
      fold(b, s, e, offset, section);
      return;
    }
    endFold();
    if (sameLine(b, s, e)) {
      fields.add(previous[fields.size()]);
      fields.add(previous[fields.size()]);
      reused++;
      return;
    }
    keep(b, s, e);
    int colon = s;
    for (byte c; colon < e && (c = b.get(colon)) != ':'; colon++) {
      if (!FieldRules.isTokenByte(c)) {
        throw HttpException.peer(
            Reason.INVALID_RESPONSE_HEADER,
            (FieldRules.isWhitespace(c)
                    ? "whitespace " + Grammar.hexByte(c) + " between " + section + " name and colon"
                    : "invalid byte " + Grammar.hexByte(c) + " in " + section + " name")
                + " at offset "
                + (offset + colon - s)
                + (FieldRules.isWhitespace(c) ? " (RFC 9112 §5.1)" : ""));
      }
    }
    if (colon == e) {
      throw HttpException.peer(
          Reason.INVALID_RESPONSE_HEADER,
          section + " line without a colon at offset " + offset + " (RFC 9112 §5)");
    }
    if (colon == s) {
      throw HttpException.peer(
          Reason.INVALID_RESPONSE_HEADER, "empty " + section + " name at offset " + offset);
    }
    fields.add(decode(previous(fields.size()), b, s, colon, true));
    fields.add(value(b, colon + 1, e, offset + colon + 1 - s, section));
  }

  /** Whether {@code b[s, e)} is the kept line at {@link #cursor}; if so, moves past it. */
  private boolean sameLine(ByteBuffer b, int s, int e) {
    int n = e - s;
    if (cursor + n >= keptEnd || lines[cursor + n] != Grammar.LF) {
      return false;
    }
    boolean same = ByteBuffer.wrap(lines, cursor, n).mismatch(b.slice(s, n)) < 0;
    cursor += same ? n + 1 : 0;
    return same;
  }

  /** Keeps {@code b[s, e)} at {@link #cursor} if it fits, over a kept line as long or cutting. */
  private void keep(ByteBuffer b, int s, int e) {
    int end = cursor + e - s + 1;
    if (end > MAX_REUSED_CHARS) {
      keptEnd = Math.min(keptEnd, cursor);
      cursor = MAX_REUSED_CHARS;
      return;
    }
    if (end > keptEnd
        || Grammar.indexOf(ByteBuffer.wrap(lines), cursor, end, Grammar.LF) != end - 1) {
      keptEnd = end;
      lines =
          lines.length >= end ? lines : Arrays.copyOf(lines, Math.min(2 * end, MAX_REUSED_CHARS));
    }
    b.get(s, lines, cursor, e - s);
    lines[end - 1] = Grammar.LF;
    cursor = end;
  }

  /** RFC 9112 §5.2: a user agent replaces each obs-fold with SP before using the value. */
  private void fold(ByteBuffer b, int s, int e, int offset, String section) throws HttpException {
    if (fields.isEmpty()) {
      throw HttpException.peer(
          Reason.INVALID_RESPONSE_HEADER,
          "whitespace %s at offset %s before the first %s field (RFC 9112 §2.2, §5.2)"
              .formatted(Grammar.hexByte(b.get(s)), offset, section));
    }
    keptEnd = reused = 0; // lines and fields no longer match one to one
    cursor = MAX_REUSED_CHARS;
    String more = value(b, s, e, offset, section);
    if (more.isEmpty()) {
      return;
    }
    if (folded == null) {
      folded = new StringBuilder(fields.get(fields.size() - 1));
    }
    if (folded.length() > 0) {
      folded.append(' ');
    }
    folded.append(more);
  }

  /** Stores the value obs-fold lines extended, once no more of them can follow. */
  private void endFold() {
    if (folded != null) {
      fields.set(fields.size() - 1, folded.toString());
      folded = null;
    }
  }

  /** The value in {@code b[s, e)}, without surrounding OWS (RFC 9110 §5.5), checked. */
  private String value(ByteBuffer b, int s, int e, int offset, String section)
      throws HttpException {
    int start = Grammar.skipOws(b, s, e);
    int end = Grammar.trimOws(b, start, e);
    for (int i = start; i < end; i++) {
      byte c = b.get(i);
      if (!FieldRules.isFieldValueByte(c)) {
        throw HttpException.peer(
            Reason.INVALID_RESPONSE_HEADER,
            "invalid byte %s in %s value at offset %s"
                .formatted(Grammar.hexByte(c), section, offset + i - s));
      }
    }
    if (start == end) {
      return "";
    }
    return decode(previous(fields.size()), b, start, end, false);
  }
}
