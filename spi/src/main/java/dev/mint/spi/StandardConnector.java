// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.ProviderException;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@link Connector}: builds the {@link TransportChain} (base transport, proxy layers,
 * TLS), picks the protocol and wraps both in an {@link EngineConnection}.
 *
 * <p>Negotiation:
 *
 * <ul>
 *   <li>{@code http}, where nothing is negotiated: the caller's first choice when its provider says
 *       it {@linkplain ProtocolProvider#startsWithoutAlpn() starts without ALPN}; otherwise
 *       HTTP/1.1 when allowed; otherwise HTTP/2 with prior knowledge when allowed (RFC 9113 §3.3);
 *       otherwise {@link ProviderException.Reason#NO_USABLE_PROTOCOL}. A chosen protocol that is
 *       not installed is {@link ProviderException.Reason#NO_PROTOCOL_PROVIDER}. Through an HTTP
 *       proxy, a protocol other than HTTP/1.1 goes through a tunnel rather than being forwarded.
 *   <li>{@code https}: the base transport (and proxy layers), then {@code tls} over it offering by
 *       ALPN the protocols both allowed and installed, in the caller's order of preference ({@link
 *       ConnectOptions#protocols()}). The provider registered under the id the server selects
 *       builds the engine; no selection selects HTTP/1.1, unless HTTP/1.1 was not offered ({@link
 *       TransportException.Reason#ALPN_NOT_NEGOTIATED}). An id that was not offered is {@link
 *       TransportException.Reason#UNEXPECTED_ALPN_PROTOCOL}.
 *   <li>{@code https} with {@link dev.mint.TlsOptions#alpn()} off: {@code tls} offers nothing, so
 *       the handshake carries no ALPN extension, and the connection speaks HTTP/1.1, which a TLS
 *       server speaks without negotiation (HTTP/2 over TLS needs ALPN, RFC 9113 §3.2). When
 *       HTTP/1.1 is not allowed, or not installed, connecting fails before anything is opened with
 *       {@link ProviderException.Reason#NO_USABLE_PROTOCOL}.
 * </ul>
 *
 * <p>Constructed without arguments (as {@link java.util.ServiceLoader} does) it uses {@link
 * ProviderRegistry#installed()}; given a registry it uses exactly those providers. Thread-safe.
 */
public final class StandardConnector implements Connector {
  /** The transport provider name TLS registers under. */
  public static final String TLS = TransportChain.TLS;

  private static final Logger LOG = LoggerFactory.getLogger(StandardConnector.class);

  private final ProviderRegistry registry;

  /** A connector over the installed providers. */
  public StandardConnector() {
    this.registry = null;
  }

  /** A connector over exactly the providers of {@code registry}. */
  public StandardConnector(ProviderRegistry registry) {
    this.registry = registry;
  }

  /** Connects with a fresh connection id in the SLF4J MDC, so that the connect's lines carry it. */
  @Override
  public HttpConnection connect(Scheme scheme, String host, int port, ConnectOptions options)
      throws MintException {
    String id = ConnectionLog.nextId();
    String previous = ConnectionLog.enter(id);
    try {
      return connect(scheme, host, port, options, id);
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  private HttpConnection connect(
      Scheme scheme, String host, int port, ConnectOptions options, String id)
      throws MintException {
    ProviderRegistry providers = registry != null ? registry : ProviderRegistry.installed();
    Deadline deadline = Deadline.after(options.connectTimeout());
    String bareHost = stripBrackets(host);
    String serverName = options.hostname() != null ? options.hostname() : bareHost;

    Protocol protocol = null;
    List<String> offered = List.of();
    if (scheme == Scheme.HTTP) {
      protocol = withoutNegotiation(providers, options.protocols());
      providers.protocol(protocol.alpnId()); // fail before connecting when it is missing
    } else {
      offered = offered(providers, options);
    }
    TransportChain chain =
        TransportChain.plan(
            scheme, bareHost, port, serverName, tunnelUnlessHttp1(protocol, options), offered);
    chain.requireProviders(providers); // fail before connecting when a layer is missing
    TransportChain.Opened opened = chain.open(providers, options, deadline);
    Transport transport = opened.transport();
    if (protocol == null) {
      protocol = negotiated(transport, offered, options);
    }
    ProtocolEngine engine;
    try {
      engine =
          providers
              .protocol(protocol.alpnId())
              .newEngine(
                  new EngineContext(scheme, serverName, port, options, chain.forwardProxy()));
    } catch (ProviderException | RuntimeException e) {
      transport.close(); // the connection never came to be: do not leak its socket
      throw e;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "connected {}://{}:{} over {} speaking {}",
          scheme.text(),
          host,
          port,
          chain,
          protocol.alpnId());
    }
    return new EngineConnection(
        transport, engine, scheme, serverName, port, options, opened.proxyResponse(), id);
  }

  /**
   * The protocol to start over cleartext, where nothing is negotiated: the caller's first choice
   * when its provider says it can, else HTTP/1.1, which every HTTP server speaks, else HTTP/2 with
   * prior knowledge (RFC 9113 §3.3), which the caller asserts by leaving HTTP/1.1 out.
   */
  private static Protocol withoutNegotiation(ProviderRegistry providers, List<Protocol> allowed)
      throws ProviderException {
    Protocol first = allowed.get(0);
    if (providers.hasProtocol(first.alpnId())
        && providers.protocol(first.alpnId()).startsWithoutAlpn()) {
      return first;
    }
    for (Protocol fallback : List.of(Protocol.HTTP1, Protocol.HTTP2)) {
      if (allowed.contains(fallback)) {
        return fallback;
      }
    }
    throw new ProviderException(
        ProviderException.Reason.NO_USABLE_PROTOCOL,
        "over http nothing is negotiated, and none of the allowed protocols "
            + allowed
            + " can start without ALPN (the first choice's provider must say so, "
            + "ProtocolProvider.startsWithoutAlpn)");
  }

  /**
   * The options to plan the chain with: a forwarding proxy takes HTTP/1.1 requests in
   * absolute-form, so any other protocol chosen for {@code http} goes through a tunnel to the
   * origin, as HTTP/2 with prior knowledge always did.
   */
  private static ConnectOptions tunnelUnlessHttp1(Protocol cleartext, ConnectOptions options) {
    ProxyOptions proxy = options.proxy().orElse(null);
    if (cleartext == null
        || cleartext.equals(Protocol.HTTP1)
        || proxy == null
        || !proxy.isHttp()
        || proxy.tunnelHttp()) {
      return options;
    }
    return options.toBuilder().proxy(proxy.withTunnelHttp(true)).build();
  }

  /**
   * The ALPN ids to offer: allowed and installed, in the caller's order; none when ALPN is off,
   * which leaves HTTP/1.1 as the only protocol the connection can speak.
   */
  private static List<String> offered(ProviderRegistry providers, ConnectOptions options)
      throws ProviderException {
    if (!options.tls().alpn()) {
      requireHttp1WithoutAlpn(providers, options);
      return List.of();
    }
    List<String> offered = new ArrayList<>(options.protocols().size());
    for (Protocol p : options.protocols()) {
      if (providers.hasProtocol(p.alpnId())) {
        offered.add(p.alpnId());
      }
    }
    if (offered.isEmpty()) {
      throw new ProviderException(
          ProviderException.Reason.NO_USABLE_PROTOCOL,
          "none of the allowed protocols "
              + options.protocols()
              + " is installed; "
              + ProviderArtifacts.forProtocols(
                  options.protocols().stream().map(Protocol::alpnId).toList()));
    }
    return offered;
  }

  private static void requireHttp1WithoutAlpn(ProviderRegistry providers, ConnectOptions options)
      throws ProviderException {
    String why;
    if (!options.protocols().contains(Protocol.HTTP1)) {
      why = "the allowed protocols " + options.protocols() + " do not include it";
    } else if (!providers.hasProtocol(Protocol.HTTP1.alpnId())) {
      why =
          "it is not installed ("
              + ProviderArtifacts.forProtocols(List.of(Protocol.HTTP1.alpnId()))
              + ")";
    } else {
      return;
    }
    throw new ProviderException(
        ProviderException.Reason.NO_USABLE_PROTOCOL,
        "TLS without ALPN (TlsOptions.alpn() off) can only speak HTTP/1.1, but "
            + why
            + "; HTTP/2 over TLS needs ALPN (RFC 9113 §3.2)");
  }

  private static Protocol negotiated(
      Transport transport, List<String> offered, ConnectOptions options) throws MintException {
    String selected = transport.negotiatedProtocol().orElse(null);
    if (selected == null || selected.isEmpty()) {
      // Nothing offered means ALPN is off, and offered() checked that HTTP/1.1 is usable.
      if (offered.isEmpty() || offered.contains(Protocol.HTTP1.alpnId())) {
        return Protocol.HTTP1;
      }
      transport.close();
      throw new TransportException(
          TransportException.Reason.ALPN_NOT_NEGOTIATED,
          "the server selected no ALPN protocol; we offered "
              + offered
              + " and HTTP/1.1 without ALPN is not usable here");
    }
    if (!offered.contains(selected)) {
      transport.close();
      throw new TransportException(
          TransportException.Reason.UNEXPECTED_ALPN_PROTOCOL,
          "the server selected '" + selected + "' but we offered " + offered);
    }
    return Protocol.of(selected);
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
