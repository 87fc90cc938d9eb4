package dev.mint.http1;

/**
 * Byte classes of the HTTP grammar (RFC 9110 §5.6.2, RFC 9112 §2), as lookup tables so that the hot
 * loops of both engine halves test a byte with one array load.
 */
final class Grammar {
  static final byte CR = '\r';
  static final byte LF = '\n';
  static final byte SP = ' ';
  static final byte HTAB = '\t';

  /** {@code tchar} of RFC 9110 §5.6.2: the bytes allowed in methods and field names. */
  private static final boolean[] TCHAR = new boolean[256];

  /**
   * Bytes allowed inside a field value (RFC 9110 §5.5): VCHAR, obs-text, SP and HTAB. Every other
   * control byte, and DEL, is refused: CR, LF and NUL would split or truncate the message, the rest
   * have no meaning and are rejected rather than passed on.
   */
  private static final boolean[] FIELD_VALUE = new boolean[256];

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
    for (int c = 0x20; c < 256; c++) {
      FIELD_VALUE[c] = c != 0x7f;
    }
    FIELD_VALUE[HTAB] = true;
  }

  private Grammar() {}

  /** Whether byte {@code b} is a {@code tchar}. */
  static boolean isTchar(int b) {
    return TCHAR[b & 0xff];
  }

  /** Whether byte {@code b} may appear in a field value (SP and HTAB included). */
  static boolean isFieldValueByte(int b) {
    return FIELD_VALUE[b & 0xff];
  }

  /** Whether {@code b} is optional whitespace (RFC 9110 §5.6.3). */
  static boolean isOws(int b) {
    return b == SP || b == HTAB;
  }

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

  /** Whether every character of {@code s} is a {@code tchar} and there is at least one. */
  static boolean isToken(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xff || !TCHAR[c]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index of the first character of {@code s} that cannot be sent in a field value (or that
   * does not fit one byte), or -1 when every character can.
   */
  static int invalidValueIndex(String s) {
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
   * Whether {@code s} starts or ends with SP or HTAB. A field value never does (RFC 9110 §5.5): a
   * recipient strips that whitespace as part of the field line's OWS.
   */
  static boolean hasOuterWhitespace(String s) {
    int n = s.length();
    return n > 0 && (isOws(s.charAt(0)) || isOws(s.charAt(n - 1)));
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

  /** Whether {@code s} consists of ASCII digits only and is not empty. */
  static boolean isDigits(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
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
      while (s < e && isOws(value.charAt(s))) {
        s++;
      }
      while (e > s && isOws(value.charAt(e - 1))) {
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
