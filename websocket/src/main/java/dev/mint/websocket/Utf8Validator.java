// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

/**
 * Checks UTF-8 incrementally, so that a text message split over frames (and a frame split over
 * reads) fails at its first bad byte rather than at its end (RFC 6455 §8.1: an endpoint fails the
 * connection on invalid UTF-8 in text; §5.6 allows a fragment to end inside a character).
 *
 * <p>The grammar is RFC 3629 §4: one to four bytes per character, no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF. The state is the number of continuation bytes still
 * owed and the range the next one must fall in (narrower than 0x80..0xBF right after E0, ED, F0 and
 * F4, which is how overlongs, surrogates and values past U+10FFFF are excluded).
 */
final class Utf8Validator {
  private int owed;
  private int lower = 0x80;
  private int upper = 0xBF;

  /**
   * Checks {@code length} bytes of {@code bytes} from {@code offset}, continuing from where the
   * last call stopped.
   *
   * @return the index of the first invalid byte, or -1 when all are a valid prefix
   */
  int feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (!accept(bytes[i] & 0xFF)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the bytes so far end on a character boundary. */
  boolean isComplete() {
    return owed == 0;
  }

  /** Starts over, for the next message. */
  void reset() {
    owed = 0;
    lower = 0x80;
    upper = 0xBF;
  }

  private boolean accept(int b) {
    if (owed > 0) {
      if (b < lower || b > upper) {
        return false;
      }
      owed--;
      lower = 0x80;
      upper = 0xBF;
      return true;
    }
    if (b < 0x80) {
      return true;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      return expect(1, 0x80, 0xBF);
    }
    return switch (b) {
      case 0xE0 -> expect(2, 0xA0, 0xBF); // no overlong 3-byte form
      case 0xED -> expect(2, 0x80, 0x9F); // no surrogates
      case 0xF0 -> expect(3, 0x90, 0xBF); // no overlong 4-byte form
      case 0xF4 -> expect(3, 0x80, 0x8F); // nothing above U+10FFFF
      default -> {
        if (b >= 0xE1 && b <= 0xEF) {
          yield expect(2, 0x80, 0xBF);
        }
        if (b >= 0xF1 && b <= 0xF3) {
          yield expect(3, 0x80, 0xBF);
        }
        yield false; // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
      }
    };
  }

  private boolean expect(int continuationBytes, int firstLower, int firstUpper) {
    owed = continuationBytes;
    lower = firstLower;
    upper = firstUpper;
    return true;
  }
}
