// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The request body as curl's data flags build it: each piece in the order given, joined with {@code
 * &}, sent as {@code application/x-www-form-urlencoded} unless {@code -H} names another type.
 *
 * <table>
 *   <caption>The pieces</caption>
 *   <tr><th>flag</th><th>value</th><th>sent</th></tr>
 *   <tr><td>{@code -d}, {@code --data}</td><td>{@code TEXT} or {@code @FILE}</td><td>the text; the
 *       file without its carriage returns and line feeds</td></tr>
 *   <tr><td>{@code --data-raw}</td><td>{@code TEXT}</td><td>the text, {@code @} included</td></tr>
 *   <tr><td>{@code --data-binary}</td><td>{@code TEXT} or {@code @FILE}</td><td>as given, bytes
 *       unchanged</td></tr>
 *   <tr><td>{@code --data-urlencode}</td><td>{@code TEXT}, {@code =TEXT}, {@code NAME=TEXT},
 *       {@code @FILE}, {@code NAME@FILE}</td><td>the text or file percent-encoded, after {@code
 *       NAME=}</td></tr>
 * </table>
 *
 * <p>A body of one file ({@code -d @FILE} or {@code --data-binary @FILE}) is streamed in chunks
 * with its length known beforehand; any other body is built in memory, at most {@link
 * #MAX_IN_MEMORY} bytes.
 *
 * @param pieces the pieces, in the order given
 */
record RequestData(List<Piece> pieces) {
  /** No data. */
  static final RequestData NONE = new RequestData(List.of());

  /** The type curl sends with data. */
  static final String FORM_TYPE = "application/x-www-form-urlencoded";

  /** The largest body built in memory: it protects the heap from a huge file joined to text. */
  static final long MAX_IN_MEMORY = 64L * 1024 * 1024;

  /** Copies the pieces. */
  RequestData {
    pieces = List.copyOf(pieces);
  }

  /** Which flag gave a piece. */
  enum Kind {
    /** {@code -d}. */
    DATA,
    /** {@code --data-raw}. */
    RAW,
    /** {@code --data-binary}. */
    BINARY,
    /** {@code --data-urlencode}. */
    URLENCODE
  }

  /**
   * One data flag and its value.
   *
   * @param kind the flag
   * @param value its value as given
   */
  record Piece(Kind kind, String value) {}

  /** Whether no data flag was given. */
  boolean isEmpty() {
    return pieces.isEmpty();
  }

  /** Whether the body goes as a form: any data does, as with curl. */
  boolean isForm() {
    return !pieces.isEmpty();
  }

  /** The file streamed as the whole body, or {@code null} when the body is built in memory. */
  Path streamedFile() {
    if (pieces.size() != 1) {
      return null;
    }
    Piece p = pieces.get(0);
    boolean file = (p.kind() == Kind.DATA || p.kind() == Kind.BINARY) && p.value().startsWith("@");
    return file ? Path.of(p.value().substring(1)) : null;
  }

  /**
   * Whether the streamed file loses its CR and LF bytes ({@code -d}, not {@code --data-binary}).
   */
  boolean stripsNewlines() {
    return !pieces.isEmpty() && pieces.get(0).kind() == Kind.DATA;
  }

  /**
   * The body built in memory.
   *
   * @throws Failure when a file cannot be read or the body grows past {@link #MAX_IN_MEMORY}
   */
  byte[] bytes() throws Failure {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Piece p : pieces) {
      if (body.size() > 0) {
        body.write('&');
      }
      byte[] piece = piece(p);
      if (body.size() + (long) piece.length > MAX_IN_MEMORY) {
        throw new Failure(
            ExitStatus.READ_ERROR, "the request data is larger than " + MAX_IN_MEMORY + " bytes");
      }
      body.writeBytes(piece);
    }
    return body.toByteArray();
  }

  private static byte[] piece(Piece p) throws Failure {
    String v = p.value();
    return switch (p.kind()) {
      case RAW -> utf8(v);
      case DATA -> v.startsWith("@") ? stripNewlines(read(v.substring(1))) : utf8(v);
      case BINARY -> v.startsWith("@") ? read(v.substring(1)) : utf8(v);
      case URLENCODE -> urlencodePiece(v);
    };
  }

  /**
   * curl's forms: {@code TEXT}, {@code =TEXT}, {@code NAME=TEXT}, {@code @FILE}, {@code N@FILE}.
   */
  private static byte[] urlencodePiece(String v) throws Failure {
    int eq = v.indexOf('=');
    int at = v.indexOf('@');
    if (eq >= 0 && (at < 0 || eq < at)) {
      String name = v.substring(0, eq);
      String encoded = percentEncode(utf8(v.substring(eq + 1)));
      return utf8(name.isEmpty() ? encoded : name + "=" + encoded);
    }
    if (at >= 0) {
      String name = v.substring(0, at);
      String encoded = percentEncode(read(v.substring(at + 1)));
      return utf8(name.isEmpty() ? encoded : name + "=" + encoded);
    }
    return utf8(percentEncode(utf8(v)));
  }

  /** Percent-encodes every byte but the unreserved characters of RFC 3986 §2.3. */
  static String percentEncode(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (unreserved) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** The bytes without CR and LF, as curl sends a {@code -d @FILE}. */
  static byte[] stripNewlines(byte[] bytes) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream(bytes.length);
    for (byte b : bytes) {
      if (b != '\r' && b != '\n') {
        kept.write(b);
      }
    }
    return kept.toByteArray();
  }

  private static byte[] read(String file) throws Failure {
    Path path = Path.of(file);
    try {
      if (Files.size(path) > MAX_IN_MEMORY) {
        throw new Failure(
            ExitStatus.READ_ERROR,
            file + " is larger than " + MAX_IN_MEMORY + " bytes; send it alone to stream it");
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new Failure(
          ExitStatus.READ_ERROR, "cannot read " + file + ": " + ExitStatus.describe(e));
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
