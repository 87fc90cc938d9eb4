// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Headers;
import dev.mint.HttpException;
import java.util.Set;

/**
 * The rules for HTTP fields that every protocol shares (RFC 9110 §5, §6.5.1, §8.6), with the few
 * HTTP/2 adds (RFC 9113 §8.2.2): one implementation that the HTTP/1.1 and HTTP/2 engines both use,
 * so that the same field is accepted or refused the same way whatever the protocol, and that a
 * plugin speaking another protocol can use too.
 *
 * <ul>
 *   <li>Names are tokens (RFC 9110 §5.1, §5.6.2).
 *   <li>Values (RFC 9110 §5.5) hold VCHAR, obs-text, SP and HTAB, neither start nor end with SP or
 *       HTAB, and hold no other byte: CR, LF and NUL would split or truncate a message, and the
 *       other control bytes and DEL have no meaning in a field and are refused rather than passed
 *       on. A character above U+00FF cannot be sent as one byte and is refused too.
 *   <li>{@code content-length} (RFC 9110 §8.6) is {@code 1*DIGIT} within a signed 64-bit length.
 *       Several values, in several fields or in one comma-separated list, are refused even when
 *       they are identical: RFC 9110 §8.6 lets a recipient either refuse such a list or take it as
 *       one value, and refusing is the choice that never reads a framing another reader may read
 *       differently (request smuggling).
 *   <li>Connection-specific fields are refused by HTTP/2 in every message, and {@code te} in a
 *       request unless it is {@code trailers} (RFC 9113 §8.2.2).
 *   <li>Fields a recipient needs before the content cannot be trailers (RFC 9110 §6.5.1).
 * </ul>
 *
 * <p>The byte tests ({@link #isTokenByte}, {@link #isFieldValueByte}) are one table load each, for
 * parsers' hot loops. The checks that explain ({@link #checkName}, {@link #checkValue}, {@link
 * #contentLength}) throw a {@link Violation}, which an engine turns into its own error: a caller
 * error for a request it refuses ({@link Violation#toCallerError()}), a peer error for a response
 * ({@link Violation#toPeerError()}), or a protocol-specific one (an HTTP/2 stream error); {@link
 * #requireSendable}, {@link #requireSendableTrailer} and {@link #declaredContentLength} do the
 * first for fields a caller asks to send. Stateless and thread-safe.
 */
public final class FieldRules {
  /** {@code tchar} of RFC 9110 §5.6.2: the bytes of methods and field names. */
  private static final boolean[] TOKEN = new boolean[256];

  /** {@code field-vchar}, SP and HTAB of RFC 9110 §5.5: the bytes of field values. */
  private static final boolean[] FIELD_VALUE = new boolean[256];

  /** RFC 9113 §8.2.2: fields that only make sense for one HTTP/1.1 hop (lower case). */
  private static final Set<String> CONNECTION_SPECIFIC =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

  /**
   * RFC 9110 §6.5.1: fields a recipient needs before the content, so they cannot be trailers (lower
   * case). Grouped as the RFC lists them: message framing, routing, connection management, request
   * modifiers (controls and conditionals), authentication, content format, response controls.
   */
  private static final Set<String> FORBIDDEN_TRAILERS =
      Set.of(
          "content-length",
          "transfer-encoding",
          "trailer",
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "upgrade",
          "expect",
          "max-forwards",
          "range",
          "if-match",
          "if-none-match",
          "if-modified-since",
          "if-unmodified-since",
          "if-range",
          "cache-control",
          "authorization",
          "proxy-authorization",
          "www-authenticate",
          "proxy-authenticate",
          "cookie",
          "set-cookie",
          "content-type",
          "content-encoding",
          "content-range",
          "age",
          "expires",
          "date",
          "location",
          "retry-after",
          "vary");

  static {
    for (int c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
    for (int c = 0x20; c < 256; c++) {
      FIELD_VALUE[c] = c != 0x7f;
    }
    FIELD_VALUE['\t'] = true;
  }

  private FieldRules() {}

  // ---- bytes ----

  /** Lower-cases an ASCII field name without consulting the default locale. */
  public static String lowerCaseName(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether byte {@code b} (its low eight bits) is a {@code tchar} (RFC 9110 §5.6.2). */
  public static boolean isTokenByte(int b) {
    return TOKEN[b & 0xff];
  }

  /**
   * Whether byte {@code b} (its low eight bits) may appear in a field value (RFC 9110 §5.5): VCHAR,
   * obs-text, SP or HTAB. SP and HTAB may not start or end one; see {@link #hasOuterWhitespace}.
   */
  public static boolean isFieldValueByte(int b) {
    return FIELD_VALUE[b & 0xff];
  }

  /** Whether {@code b} is SP or HTAB, the whitespace of field syntax (RFC 9110 §5.6.3). */
  public static boolean isWhitespace(int b) {
    return b == ' ' || b == '\t';
  }

  // ---- strings ----

  /** Whether {@code s} is a token: at least one character, each a {@code tchar}. */
  public static boolean isToken(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xff || !TOKEN[c]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index of the first character of {@code s} that cannot be in a field value, one that is not
   * a {@linkplain #isFieldValueByte field value byte} or does not fit one byte, or -1 when there is
   * none. Outer whitespace is not judged here; see {@link #hasOuterWhitespace}.
   */
  public static int invalidValueIndex(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xff || !FIELD_VALUE[c]) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether {@code s} starts or ends with SP or HTAB. A field value never does (RFC 9110 §5.5): an
   * HTTP/1.1 recipient strips that whitespace as the field line's OWS, so such a value cannot
   * arrive as given, and HTTP/2 treats it as malformed (RFC 9113 §8.2.1).
   */
  public static boolean hasOuterWhitespace(String s) {
    int n = s.length();
    return n > 0 && (isWhitespace(s.charAt(0)) || isWhitespace(s.charAt(n - 1)));
  }

  /** Whether {@code s} is a field value exactly as it is: {@link #checkValue} would accept it. */
  public static boolean isValidValue(String s) {
    return invalidValueIndex(s) < 0 && !hasOuterWhitespace(s);
  }

  // ---- checks that explain ----

  /**
   * Checks a field name.
   *
   * @param what the kind of field for the message: {@code "header"}, {@code "trailer"}
   * @throws Violation {@link Violation.Kind#INVALID_NAME} when the name is empty or not a token
   */
  public static void checkName(String what, String name) throws Violation {
    if (!isToken(name)) {
      throw new Violation(
          Violation.Kind.INVALID_NAME,
          name.isEmpty()
              ? "empty " + what + " name"
              : what + " name '" + printable(name) + "' is not a token (RFC 9110 §5.6.2)");
    }
  }

  /**
   * Checks a field value, naming the offending character and its index.
   *
   * @param what the kind of field for the message: {@code "header"}, {@code "trailer"}
   * @param name the field's name, for the message
   * @throws Violation {@link Violation.Kind#INVALID_VALUE} for a character that cannot be in a
   *     field value, or for leading or trailing whitespace
   */
  public static void checkValue(String what, String name, String value) throws Violation {
    int bad = invalidValueIndex(value);
    if (bad >= 0) {
      throw new Violation(
          Violation.Kind.INVALID_VALUE,
          "invalid character "
              + describe(value.charAt(bad))
              + " in the value of "
              + what
              + " '"
              + printable(name)
              + "' at index "
              + bad
              + " (RFC 9110 §5.5)");
    }
    if (hasOuterWhitespace(value)) {
      throw new Violation(
          Violation.Kind.INVALID_VALUE,
          "the value of "
              + what
              + " '"
              + printable(name)
              + "' starts or ends with whitespace (RFC 9110 §5.5)");
    }
  }

  /**
   * Checks a field's name, then its value: {@link #checkName}, then {@link #checkValue}.
   *
   * @throws Violation {@link Violation.Kind#INVALID_NAME} or {@link Violation.Kind#INVALID_VALUE}
   */
  public static void checkField(String what, String name, String value) throws Violation {
    checkName(what, name);
    checkValue(what, name, value);
  }

  /**
   * Checks a field a caller asks to send, as {@link #checkField} does.
   *
   * @throws HttpException the violation as a caller error with request scope: {@code
   *     INVALID_HEADER_NAME} or {@code INVALID_HEADER_VALUE}
   */
  public static void requireSendable(String what, String name, String value) throws HttpException {
    try {
      checkField(what, name, value);
    } catch (Violation v) {
      throw v.toCallerError();
    }
  }

  /**
   * Checks a trailer field a caller asks to send: {@link #checkField}, then that it may be a
   * trailer at all ({@link #isForbiddenTrailer}).
   *
   * @throws HttpException caller errors with request scope: {@code INVALID_HEADER_NAME}, {@code
   *     INVALID_HEADER_VALUE}, or {@code INVALID_REQUEST_HEADER} for a field that cannot be a
   *     trailer
   */
  public static void requireSendableTrailer(String name, String value) throws HttpException {
    requireSendable("trailer", name, value);
    if (isForbiddenTrailer(name)) {
      throw HttpException.caller(
          HttpException.Reason.INVALID_REQUEST_HEADER,
          "'"
              + name
              + "' frames, routes, authenticates or otherwise controls the message, which a"
              + " recipient needs before the content, so it cannot be a trailer (RFC 9110 §6.5.1)");
    }
  }

  /**
   * The content length a caller's {@code fields} declare, or -1 for none, as {@link #contentLength}
   * reads it.
   *
   * @throws HttpException the violation as a caller error with request scope: {@code
   *     INVALID_REQUEST_HEADER}
   */
  public static long declaredContentLength(Headers fields) throws HttpException {
    try {
      return contentLength(fields);
    } catch (Violation v) {
      throw v.toCallerError();
    }
  }

  /**
   * The content length {@code fields} declare (RFC 9110 §8.6), from every {@code content-length}
   * field in any case, or -1 when there is none.
   *
   * @throws Violation {@link Violation.Kind#INVALID_CONTENT_LENGTH} for a value that is not {@code
   *     1*DIGIT} or passes a signed 64-bit length; {@link
   *     Violation.Kind#CONFLICTING_CONTENT_LENGTH} for more than one value (several fields, or a
   *     comma-separated list), even identical ones
   */
  public static long contentLength(Headers fields) throws Violation {
    long first = -1;
    int count = 0;
    boolean disagree = false;
    for (int i = 0; i < fields.size(); i++) {
      if (!fields.name(i).equalsIgnoreCase("content-length")) {
        continue; // a loop over the fields rather than getAll: no list per response
      }
      String value = fields.value(i);
      int start = 0;
      while (true) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        long n = parseLength(trim(value, start, end), value);
        disagree |= count > 0 && n != first;
        first = count == 0 ? n : first;
        count++;
        if (comma < 0) {
          break;
        }
        start = comma + 1;
      }
    }
    if (count > 1) {
      throw new Violation(
          Violation.Kind.CONFLICTING_CONTENT_LENGTH,
          (disagree ? "content-length values disagree: " : "content-length repeated: ")
              + printable(String.join(", ", fields.getAll("content-length")))
              + (disagree
                  ? " (RFC 9110 §8.6)"
                  : "; refused rather than merged, as RFC 9110 §8.6 allows, since readers that"
                      + " merge and readers that refuse would frame the message differently"));
    }
    return first;
  }

  /**
   * {@code 1*DIGIT} within a signed 64-bit length; {@code whole} is the field value for messages.
   */
  private static long parseLength(String digits, String whole) throws Violation {
    int n = digits.length();
    if (n == 0) {
      throw new Violation(
          Violation.Kind.INVALID_CONTENT_LENGTH,
          "empty content-length" + (whole.isEmpty() ? "" : " in '" + printable(whole) + "'"));
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new Violation(
            Violation.Kind.INVALID_CONTENT_LENGTH,
            "invalid character "
                + describe(c)
                + " in content-length '"
                + printable(whole)
                + "' (RFC 9110 §8.6: digits only)");
      }
      if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
        throw new Violation(
            Violation.Kind.INVALID_CONTENT_LENGTH,
            "content-length " + printable(whole) + " overflows a 64-bit length");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * {@code s} without the optional whitespace (SP, HTAB; RFC 9110 §5.6.3) at either end, as a field
   * value must be sent (§5.5).
   */
  public static String trimWhitespace(String s) {
    return trim(s, 0, s.length());
  }

  private static String trim(String s, int start, int end) {
    while (start < end && isWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  // ---- fields with a place ----

  /**
   * Whether {@code name} (any case) is a connection-specific field, which HTTP/2 forbids in every
   * message (RFC 9113 §8.2.2): {@code connection}, {@code keep-alive}, {@code proxy-connection},
   * {@code transfer-encoding}, {@code upgrade}. See {@link #isForbiddenInHttp2Request} for {@code
   * te}.
   */
  public static boolean isConnectionSpecific(String name) {
    return CONNECTION_SPECIFIC.contains(FieldRules.lowerCaseName(name));
  }

  /**
   * Whether HTTP/2 forbids this field in a request (RFC 9113 §8.2.2): a {@linkplain
   * #isConnectionSpecific connection-specific} field, or {@code te} with any value but {@code
   * trailers} (compared ignoring case, as transfer codings are).
   */
  public static boolean isForbiddenInHttp2Request(String name, String value) {
    return isConnectionSpecific(name)
        || name.equalsIgnoreCase("te") && !value.equalsIgnoreCase("trailers");
  }

  /**
   * Whether {@code name} (any case) names a field that cannot be a trailer (RFC 9110 §6.5.1):
   * framing ({@code content-length}, {@code transfer-encoding}, {@code trailer}), routing ({@code
   * host}), connection management ({@code connection}, {@code keep-alive}, {@code
   * proxy-connection}, {@code te}, {@code upgrade}), request modifiers ({@code expect}, {@code
   * max-forwards}, {@code range}, {@code cache-control}, the {@code if-*} conditionals),
   * authentication ({@code authorization}, {@code proxy-authorization}, {@code www-authenticate},
   * {@code proxy-authenticate}, {@code cookie}, {@code set-cookie}), content format ({@code
   * content-type}, {@code content-encoding}, {@code content-range}) and response controls ({@code
   * age}, {@code expires}, {@code date}, {@code location}, {@code retry-after}, {@code vary}).
   */
  public static boolean isForbiddenTrailer(String name) {
    return FORBIDDEN_TRAILERS.contains(FieldRules.lowerCaseName(name));
  }

  // ---- messages ----

  /** A string for an error message: control characters escaped, at most 64 characters shown. */
  public static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 64) + 8);
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? describe(c) : String.valueOf(c));
    }
    if (s.length() > 64) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** A character for an error message: {@code 0x0a}, or {@code U+4e2d} beyond one byte. */
  private static String describe(char c) {
    return c > 0xff ? "U+" + Integer.toHexString(c) : String.format("0x%02x", (int) c);
  }

  /**
   * A field that breaks one of these rules. Engines turn it into their own error: {@link
   * #toCallerError()} for a request they refuse, {@link #toPeerError()} for a received HTTP/1.1
   * message, or a protocol-specific error (HTTP/2 treats a malformed message as a stream error, RFC
   * 9113 §8.1.1). It carries no stack trace: it is an answer, not a bug.
   */
  public static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which rule was broken. */
    public enum Kind {
      /** The name is empty or not a token. */
      INVALID_NAME,
      /** The value holds a character it may not, or starts or ends with whitespace. */
      INVALID_VALUE,
      /** A {@code content-length} value is not a decimal length. */
      INVALID_CONTENT_LENGTH,
      /** More than one {@code content-length} value, identical or not. */
      CONFLICTING_CONTENT_LENGTH
    }

    /** Which rule was broken: {@link #kind()}. */
    private final Kind kind;

    Violation(Kind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }

    /** Which rule was broken. */
    public Kind kind() {
      return kind;
    }

    /**
     * As a caller error (request scope): {@code INVALID_HEADER_NAME}, {@code INVALID_HEADER_VALUE},
     * or {@code INVALID_REQUEST_HEADER} for {@code content-length}.
     */
    public HttpException toCallerError() {
      return HttpException.caller(
          switch (kind) {
            case INVALID_NAME -> HttpException.Reason.INVALID_HEADER_NAME;
            case INVALID_VALUE -> HttpException.Reason.INVALID_HEADER_VALUE;
            case INVALID_CONTENT_LENGTH, CONFLICTING_CONTENT_LENGTH ->
                HttpException.Reason.INVALID_REQUEST_HEADER;
          },
          getMessage());
    }

    /**
     * As a peer error (connection scope): {@code INVALID_RESPONSE_HEADER} for a name or value,
     * {@code INVALID_CONTENT_LENGTH}, or {@code CONFLICTING_CONTENT_LENGTH}.
     */
    public HttpException toPeerError() {
      return HttpException.peer(
          switch (kind) {
            case INVALID_NAME, INVALID_VALUE -> HttpException.Reason.INVALID_RESPONSE_HEADER;
            case INVALID_CONTENT_LENGTH -> HttpException.Reason.INVALID_CONTENT_LENGTH;
            case CONFLICTING_CONTENT_LENGTH -> HttpException.Reason.CONFLICTING_CONTENT_LENGTH;
          },
          getMessage());
    }
  }
}
