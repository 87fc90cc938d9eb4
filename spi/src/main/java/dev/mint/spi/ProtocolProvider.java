// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

/**
 * Creates protocol engines for one protocol, registered under its ALPN id ({@code http/1.1}, {@code
 * h2}, or any id a plugin brings, such as {@code x-custom/1}). Found through {@link
 * java.util.ServiceLoader} or passed to {@link ProviderRegistry#of}. Implementations must be
 * stateless or thread-safe.
 *
 * <p>A provider is used when the caller allows its protocol ({@link
 * dev.mint.ConnectOptions#protocols()}, {@code Protocol.of(alpnId())}): over TLS the connector
 * offers its id by ALPN, and builds the engine with this provider when the server selects it.
 */
public interface ProtocolProvider {

  /**
   * The ALPN protocol id this provider serves; the key it is registered under. Two providers with
   * one id are refused ({@code DUPLICATE_PROVIDER}).
   */
  String alpnId();

  /**
   * Whether this protocol can start on a connection that negotiated nothing, as over the {@code
   * http} scheme, where there is no ALPN: the client speaks first and the server is assumed to
   * understand (HTTP/2's "prior knowledge", RFC 9113 §3.3). The connector starts it over {@code
   * http} when it is the caller's first choice and this returns {@code true}; otherwise the
   * built-in rule applies (HTTP/1.1 when allowed, else HTTP/2 with prior knowledge).
   *
   * <p>The default is {@code false}: the protocol is only spoken when a server selects it by ALPN.
   * Mint's own providers keep it: HTTP/1.1 is the fallback anyway, and HTTP/2, first in the default
   * order for the sake of ALPN, must not start with prior knowledge just for being first (it does
   * when the caller leaves HTTP/1.1 out).
   */
  default boolean startsWithoutAlpn() {
    return false;
  }

  /** A new engine for one connection. */
  ProtocolEngine newEngine(EngineContext context);
}
