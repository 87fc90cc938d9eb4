// SPDX-License-Identifier: Apache-2.0
package dev.mint;

/** The URI scheme of a connection: cleartext {@code http} or TLS-protected {@code https}. */
public enum Scheme {
  /** Cleartext HTTP, default port 80. */
  HTTP("http", 80),
  /** HTTP over TLS, default port 443. */
  HTTPS("https", 443);

  private final String text;
  private final int defaultPort;

  Scheme(String text, int defaultPort) {
    this.text = text;
    this.defaultPort = defaultPort;
  }

  /** The lower-case scheme name as written in a URI and in HTTP/2's {@code :scheme}. */
  public String text() {
    return text;
  }

  /** The port used when a URI names none; {@code host} headers leave this port out. */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Parses a scheme name, ignoring case.
   *
   * @throws IllegalArgumentException for anything but {@code http} or {@code https}
   */
  public static Scheme parse(String text) {
    for (Scheme s : values()) {
      if (s.text.equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unsupported scheme '" + text + "' (expected http or https)");
  }
}
