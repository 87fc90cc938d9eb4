// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.util.Objects;

/**
 * One header or trailer field, as sent or received: the name as written (HTTP/2 names arrive in
 * lower case), and the value.
 *
 * @param name the field name; not empty
 * @param value the field value; may be empty
 */
public record Header(String name, String value) {
  /** Checks that the name is not empty and neither holds CR, LF or NUL. */
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header name");
    }
    checkNoLineBreak(name, "header name");
    checkNoLineBreak(value, "value of header " + name);
  }

  /** Whether this field's name is {@code other}, ignoring case (RFC 9110 §5.1). */
  public boolean named(String other) {
    return name.equalsIgnoreCase(other);
  }

  private static void checkNoLineBreak(String text, String what) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            what + " holds character 0x" + Integer.toHexString(c) + " at index " + i);
      }
    }
  }
}
