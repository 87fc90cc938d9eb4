// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where requests go: a scheme, host and port, and the proxy (if any) they go through. The pool
 * keeps the connections of each origin apart; two origins that differ only in their proxy never
 * share a connection.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host name or address literal, lower-cased
 * @param port 1..65535
 * @param proxy the proxy to go through, or {@code null} for a direct connection
 */
public record Origin(Scheme scheme, String host, int port, ProxyOptions proxy) {

  /** Checks the fields and lower-cases the host (host names are case-insensitive). */
  public Origin {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port out of range 1..65535: " + port);
    }
    host = host.toLowerCase(Locale.ROOT);
  }

  /** A direct origin. */
  public static Origin of(Scheme scheme, String host, int port) {
    return new Origin(scheme, host, port, null);
  }

  /**
   * The origin of an absolute {@code http} or {@code https} URI; the port defaults to the scheme's.
   *
   * @throws IllegalArgumentException when the URI is not absolute, has another scheme or no host
   */
  public static Origin of(URI uri) {
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("not an absolute http(s) URI with a host: " + uri);
    }
    Scheme scheme = Scheme.parse(uri.getScheme());
    int port = uri.getPort() == -1 ? scheme.defaultPort() : uri.getPort();
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return of(scheme, host, port);
  }

  /** This origin reached through {@code proxy} ({@code null}: directly). */
  public Origin withProxy(ProxyOptions proxy) {
    return new Origin(scheme, host, port, proxy);
  }

  /** The proxy, when there is one. */
  public Optional<ProxyOptions> viaProxy() {
    return Optional.ofNullable(proxy);
  }

  @Override
  public String toString() {
    String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme.text() + "://" + hostPart + ":" + port + (proxy == null ? "" : " via " + proxy);
  }
}
