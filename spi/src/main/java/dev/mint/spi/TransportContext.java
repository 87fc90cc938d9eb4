package dev.mint.spi;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TransportProvider} needs to open a transport.
 *
 * @param scheme the scheme of the connection being built
 * @param host the host to connect to (a name or an IPv4/IPv6 literal, without brackets)
 * @param port the port to connect to
 * @param serverName the name for SNI and certificate verification (the {@code hostname} option, or
 *     the host)
 * @param options the connection's options
 * @param deadline when the whole connect must be done
 * @param inner the transport to layer on, for layering providers (TLS); empty for base transports
 * @param alpnProtocols the ALPN ids to offer, most preferred first; empty offers none
 */
public record TransportContext(
    Scheme scheme,
    String host,
    int port,
    String serverName,
    ConnectOptions options,
    Deadline deadline,
    Optional<Transport> inner,
    List<String> alpnProtocols) {

  /** Checks for nulls and copies the ALPN list. */
  public TransportContext {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(inner, "inner");
    alpnProtocols = List.copyOf(alpnProtocols);
  }
}
