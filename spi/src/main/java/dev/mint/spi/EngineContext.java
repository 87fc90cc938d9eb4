// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import java.util.Objects;
import java.util.Optional;

/**
 * What a protocol engine needs to know about its connection.
 *
 * @param scheme the connection's scheme (for HTTP/2 {@code :scheme})
 * @param host the host name for {@code host}/{@code :authority} (the {@code hostname} option when
 *     set); IPv6 literals without brackets
 * @param port the port; left out of {@code host} when it is the scheme's default
 * @param options the connection's options
 * @param forwardProxy present when requests go to a forwarding HTTP proxy (HTTP/1.1 over cleartext
 *     only): see {@link ForwardProxy}
 */
public record EngineContext(
    Scheme scheme,
    String host,
    int port,
    ConnectOptions options,
    Optional<ForwardProxy> forwardProxy) {
  /** Rejects nulls. */
  public EngineContext {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(forwardProxy, "forwardProxy");
  }

  /** A context for a connection straight to the origin (or through a tunnel). */
  public EngineContext(Scheme scheme, String host, int port, ConnectOptions options) {
    this(scheme, host, port, options, Optional.empty());
  }

  /**
   * The authority as sent in {@code host} or {@code :authority}: the host (IPv6 literals in
   * brackets), then {@code :port} unless the port is the scheme's default.
   */
  public String authority() {
    // An IPv6 zone id ("%eth0") names an interface of this machine; it means nothing to the server
    // and is never sent (RFC 6874 §4).
    int zone = host.indexOf('%');
    String bare = zone >= 0 && host.indexOf(':') >= 0 ? host.substring(0, zone) : host;
    String h = bare.indexOf(':') >= 0 && !bare.startsWith("[") ? "[" + bare + "]" : bare;
    return port == scheme.defaultPort() ? h : h + ":" + port;
  }
}
