// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TransportProvider} needs to open one layer of a connection's {@link
 * TransportChain}. The endpoint is this layer's own: for the base transport and TLS to an HTTPS
 * proxy it is the proxy; for a proxy tunnel and the TLS above it, the origin.
 *
 * @param scheme the scheme of the connection being built (the origin's)
 * @param host the host this layer reaches (a name or an IPv4/IPv6 literal, without brackets)
 * @param port the port this layer reaches
 * @param serverName the name for SNI and certificate verification (the {@code hostname} option, or
 *     the host; the proxy's host for TLS to a proxy)
 * @param options the connection's options; a tunnel layer reads {@link ConnectOptions#proxy()}
 * @param deadline when the whole connect must be done
 * @param inner the transport to layer on, for layering providers (TLS, proxy tunnels); empty for
 *     base transports
 * @param alpnProtocols the ALPN ids to offer, most preferred first; empty offers none
 * @param tls the TLS settings for a TLS layer here: the origin's {@link ConnectOptions#tls()}, or
 *     the proxy's {@link dev.mint.ProxyOptions#tls()} for TLS to an HTTPS proxy
 */
public record TransportContext(
    Scheme scheme,
    String host,
    int port,
    String serverName,
    ConnectOptions options,
    Deadline deadline,
    Optional<Transport> inner,
    List<String> alpnProtocols,
    TlsOptions tls) {

  /** Checks for nulls and copies the ALPN list. */
  public TransportContext {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(inner, "inner");
    alpnProtocols = List.copyOf(alpnProtocols);
    Objects.requireNonNull(tls, "tls");
  }

  /** A context whose TLS settings are the connection's own {@link ConnectOptions#tls()}. */
  public TransportContext(
      Scheme scheme,
      String host,
      int port,
      String serverName,
      ConnectOptions options,
      Deadline deadline,
      Optional<Transport> inner,
      List<String> alpnProtocols) {
    this(scheme, host, port, serverName, options, deadline, inner, alpnProtocols, options.tls());
  }
}
