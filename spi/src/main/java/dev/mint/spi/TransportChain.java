// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ConnectOptions;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.ProviderException;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The layers of one connection's transport, bottom first, and how to open them: each layer is a
 * {@link TransportProvider} opened over the one below it ({@link TransportContext#inner()}).
 *
 * <pre>
 *   base (ConnectOptions.transport(), "tcp" by default; to the proxy when there is one)
 *   [tls               to an HTTPS proxy, with ProxyOptions.tls()]
 *   [http-connect | socks5   the tunnel through the proxy to the origin]
 *   [tls               to an https origin, with ConnectOptions.tls() and ALPN]
 * </pre>
 *
 * Every bracketed layer is optional: a direct {@code http} connection is the base alone; an {@code
 * https} origin behind an HTTPS proxy uses all four (the same {@code tls} provider twice, each with
 * its own server name and trust). An {@code http} origin behind an HTTP or HTTPS proxy is not
 * tunnelled unless {@link ProxyOptions#tunnelHttp()} asks for it, or the connection may speak only
 * HTTP/2 (which a proxy cannot forward): requests then go to the proxy itself, and {@link
 * #forwardProxy()} tells the HTTP/1.1 engine to send them in absolute-form.
 *
 * <p>A user's base transport (a Unix socket, an in-memory pipe), named by {@link
 * ConnectOptions#transport()}, stays at the bottom of every chain: under a proxy it is opened
 * toward the proxy's host and port.
 *
 * <p>Immutable and thread-safe; {@link #open} blocks until every layer is up or the deadline
 * passes.
 */
public final class TransportChain {
  /** The provider name of TLS, used for the origin and for an HTTPS proxy. */
  public static final String TLS = "tls";

  /** The provider name of the HTTP {@code CONNECT} tunnel (module {@code mint-proxy}). */
  public static final String HTTP_CONNECT = "http-connect";

  /** The provider name of the SOCKS5 tunnel (module {@code mint-proxy}). */
  public static final String SOCKS5 = "socks5";

  /**
   * One layer of a chain: the provider that opens it and the endpoint and TLS settings it gets in
   * its {@link TransportContext}.
   *
   * @param provider the transport provider's name
   * @param host the host this layer reaches (without brackets)
   * @param port the port this layer reaches
   * @param serverName the name for SNI and certificate verification
   * @param tls the TLS settings a TLS layer uses
   * @param alpnProtocols the ALPN ids a TLS layer offers
   */
  public record Layer(
      String provider,
      String host,
      int port,
      String serverName,
      TlsOptions tls,
      List<String> alpnProtocols) {
    /** Rejects nulls; copies the ALPN list. */
    public Layer {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(serverName, "serverName");
      Objects.requireNonNull(tls, "tls");
      alpnProtocols = List.copyOf(alpnProtocols);
    }

    @Override
    public String toString() {
      String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      return provider + "(" + h + ":" + port + ")";
    }
  }

  /**
   * An opened chain.
   *
   * @param transport the top layer, which the connection reads and writes
   * @param proxyResponse the reply of the proxy tunnel layer, when the chain has one
   */
  public record Opened(Transport transport, Optional<ProxyResponse> proxyResponse) {
    /** Rejects nulls. */
    public Opened {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(proxyResponse, "proxyResponse");
    }
  }

  private final Scheme scheme;
  private final List<Layer> layers;
  private final Optional<ForwardProxy> forwardProxy;

  private TransportChain(Scheme scheme, List<Layer> layers, Optional<ForwardProxy> forwardProxy) {
    this.scheme = scheme;
    this.layers = List.copyOf(layers);
    this.forwardProxy = forwardProxy;
  }

  /**
   * The chain for a connection to {@code host:port}.
   *
   * @param scheme the origin's scheme
   * @param host the origin's host, without brackets
   * @param port the origin's port
   * @param serverName the origin's name for SNI and verification
   * @param options the connection's options: base transport, proxy, TLS
   * @param originAlpn the ALPN ids to offer the origin over TLS (ignored for {@code http})
   */
  public static TransportChain plan(
      Scheme scheme,
      String host,
      int port,
      String serverName,
      ConnectOptions options,
      List<String> originAlpn) {
    List<Layer> layers = new ArrayList<>(4);
    ProxyOptions proxy = options.proxy().orElse(null);
    Optional<ForwardProxy> forward = Optional.empty();
    if (proxy == null) {
      layers.add(new Layer(options.transport(), host, port, serverName, options.tls(), List.of()));
    } else {
      String proxyHost = proxy.host();
      layers.add(
          new Layer(
              options.transport(), proxyHost, proxy.port(), proxyHost, proxy.tls(), List.of()));
      if (proxy.kind() == ProxyOptions.Kind.HTTPS) {
        // The proxy speaks HTTP/1.1 (CONNECT and forwarding are HTTP/1.1 here): offer just that.
        List<String> alpn =
            proxy.tls().alpn() ? List.of(Protocol.HTTP1.alpnId()) : List.<String>of();
        layers.add(new Layer(TLS, proxyHost, proxy.port(), proxyHost, proxy.tls(), alpn));
      }
      if (forwards(scheme, proxy, options)) {
        forward = Optional.of(new ForwardProxy(proxy.requestHeaders()));
      } else {
        String tunnel = proxy.isHttp() ? HTTP_CONNECT : SOCKS5;
        layers.add(new Layer(tunnel, host, port, serverName, options.tls(), List.of()));
      }
    }
    if (scheme == Scheme.HTTPS) {
      layers.add(new Layer(TLS, host, port, serverName, options.tls(), originAlpn));
    }
    return new TransportChain(scheme, layers, forward);
  }

  /**
   * Whether requests go to an HTTP proxy in absolute-form rather than through a tunnel: for {@code
   * http} origins over HTTP/1.1, unless the caller asked to tunnel. HTTP/2 has no forwarding.
   */
  private static boolean forwards(Scheme scheme, ProxyOptions proxy, ConnectOptions options) {
    return scheme == Scheme.HTTP
        && proxy.isHttp()
        && !proxy.tunnelHttp()
        && options.protocols().contains(Protocol.HTTP1);
  }

  /** The layers, bottom first. */
  public List<Layer> layers() {
    return layers;
  }

  /** Present when requests go to a forwarding HTTP proxy: for the engine's context. */
  public Optional<ForwardProxy> forwardProxy() {
    return forwardProxy;
  }

  /**
   * Checks that every layer's provider is registered, before anything is opened.
   *
   * @throws ProviderException {@link ProviderException.Reason#NO_TRANSPORT_PROVIDER} naming the
   *     missing provider and the module that brings it
   */
  public void requireProviders(ProviderRegistry providers) throws ProviderException {
    for (Layer layer : layers) {
      String name = layer.provider();
      boolean tunnel = name.equals(HTTP_CONNECT) || name.equals(SOCKS5);
      if (tunnel && !providers.hasTransport(name)) {
        throw new ProviderException(
            ProviderException.Reason.NO_TRANSPORT_PROVIDER,
            "no transport provider named '"
                + name
                + "' for the proxy (installed: "
                + providers.transportNames()
                + "); "
                + ProviderArtifacts.forTransport(name));
      }
      providers.transport(name); // names the missing module for the others
    }
  }

  /**
   * Opens the layers bottom first, each over the one below, until {@code deadline}. When a layer
   * fails, every layer below it is closed, top first.
   *
   * @throws MintException what the failing provider threw: a {@link dev.mint.TransportException}
   *     naming the failure, or a {@link ProviderException} for a missing provider
   */
  public Opened open(ProviderRegistry providers, ConnectOptions options, Deadline deadline)
      throws MintException {
    List<Transport> opened = new ArrayList<>(layers.size());
    Transport below = null;
    Optional<ProxyResponse> reply = Optional.empty();
    for (Layer layer : layers) {
      TransportContext context =
          new TransportContext(
              scheme,
              layer.host(),
              layer.port(),
              layer.serverName(),
              options,
              deadline,
              Optional.ofNullable(below),
              layer.alpnProtocols(),
              layer.tls());
      Transport transport;
      try {
        transport = providers.transport(layer.provider()).open(context);
      } catch (MintException | RuntimeException e) {
        closeAll(opened); // a provider that fails unexpectedly must not leak the socket
        throw e;
      }
      opened.add(transport);
      if (transport.proxyResponse().isPresent()) {
        reply = transport.proxyResponse();
      }
      below = transport;
    }
    return new Opened(below, reply);
  }

  /**
   * Closes the layers top first. A layer closes the one below it itself; closing that one again is
   * harmless ({@link Transport#close()} is idempotent) and covers a layer that does not.
   */
  private static void closeAll(List<Transport> opened) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  /** The layers as {@code tcp(proxy:3128) > http-connect(origin:443) > tls(origin:443)}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Layer layer : layers) {
      b.append(b.length() == 0 ? "" : " > ").append(layer);
    }
    return forwardProxy.isPresent() ? b + " (forwarding)" : b.toString();
  }
}
