// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Objects;

/**
 * A protocol a connection can speak, identified by its ALPN protocol id (RFC 7301): {@link #HTTP1}
 * and {@link #HTTP2}, which Mint brings, or any id a plugged-in {@code ProtocolProvider} serves
 * ({@code Protocol.of("x-custom/1")}).
 *
 * <p>Two protocols are equal when their ALPN ids are equal. {@link #of} returns the constants for
 * {@code http/1.1} and {@code h2}, so {@code conn.protocol() == Protocol.HTTP2} keeps working; for
 * other ids compare with {@link #equals}. Immutable and thread-safe.
 *
 * <p>The caller allows protocols in preference order with {@link
 * ConnectOptions.Builder#protocols(Protocol, Protocol...)}; the connector offers by ALPN those both
 * allowed and installed, and the provider registered under the id the server selects builds the
 * connection's engine.
 */
public final class Protocol {
  /** HTTP/1.1 (RFC 9112); ALPN id {@code http/1.1}. */
  public static final Protocol HTTP1 = new Protocol("http/1.1", "HTTP1");

  /** HTTP/2 (RFC 9113); ALPN id {@code h2}. */
  public static final Protocol HTTP2 = new Protocol("h2", "HTTP2");

  /** RFC 7301 §3.1: a protocol name is 1 to 255 bytes. */
  private static final int MAX_ALPN_ID_LENGTH = 255;

  private final String alpnId;
  private final String name;

  private Protocol(String alpnId, String name) {
    this.alpnId = alpnId;
    this.name = name;
  }

  /**
   * The protocol with ALPN id {@code alpnId}: {@link #HTTP1} or {@link #HTTP2} for theirs, a new
   * value for any other.
   *
   * @param alpnId 1 to 255 visible ASCII characters (RFC 7301 §3.1 allows any bytes; ids in use are
   *     all printable, and a printable id reads well in messages)
   * @throws IllegalArgumentException when the id is empty, too long or not visible ASCII
   */
  public static Protocol of(String alpnId) {
    Objects.requireNonNull(alpnId, "alpnId");
    Protocol known = fromAlpnId(alpnId);
    if (known != null) {
      return known;
    }
    if (alpnId.isEmpty() || alpnId.length() > MAX_ALPN_ID_LENGTH) {
      throw new IllegalArgumentException(
          "an ALPN id has 1 to " + MAX_ALPN_ID_LENGTH + " characters: '" + alpnId + "'");
    }
    for (int i = 0; i < alpnId.length(); i++) {
      char c = alpnId.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "an ALPN id is visible ASCII; '" + alpnId + "' has 0x" + Integer.toHexString(c));
      }
    }
    return new Protocol(alpnId, alpnId);
  }

  /**
   * The built-in protocol with the given ALPN id, or {@code null} when the id names neither {@link
   * #HTTP1} nor {@link #HTTP2}. {@link #of} accepts any id.
   */
  public static Protocol fromAlpnId(String alpnId) {
    if (HTTP1.alpnId.equals(alpnId)) {
      return HTTP1;
    }
    return HTTP2.alpnId.equals(alpnId) ? HTTP2 : null;
  }

  /** The ALPN protocol id, which is also the key protocol providers are registered under. */
  public String alpnId() {
    return alpnId;
  }

  /**
   * A short name: {@code HTTP1} and {@code HTTP2} for the built-in protocols (as when this was an
   * enum), the ALPN id for others.
   */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Protocol p && p.alpnId.equals(alpnId);
  }

  @Override
  public int hashCode() {
    return alpnId.hashCode();
  }

  /** {@link #name()}. */
  @Override
  public String toString() {
    return name;
  }
}
