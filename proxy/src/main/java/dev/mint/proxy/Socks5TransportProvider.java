// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.MintException;
import dev.mint.ProxyOptions;
import dev.mint.TransportException;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportChain;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code socks5} transport provider: a tunnel through a SOCKS5 proxy (RFC 1928) opened with its
 * {@code CONNECT} command over the context's inner transport, authenticating with user name and
 * password (RFC 1929) when {@link ProxyOptions#credentials()} are set.
 *
 * <p>The origin is sent as the proxy should reach it: an IP literal as an IPv4 (ATYP X'01') or IPv6
 * (X'04') address; a name as a domain name (X'03') for the proxy to resolve when {@link
 * ProxyOptions#remoteDns()} is on (the default, {@code socks5h://}), or else resolved here first
 * ({@code socks5://}; the first address {@link dev.mint.ConnectOptions#resolver()} gives). The
 * handshake is bounded by {@link ProxyOptions#tunnelTimeout()} and the connect deadline. The
 * transport it returns reports the reply (with the proxy's bound address) as {@link
 * Transport#proxyResponse()} and returns first any bytes read past it.
 *
 * <p>Errors, all {@link TransportException}; the inner transport is closed: the {@code SOCKS_*}
 * reasons for reply codes X'01' to X'08', carrying the reply; {@link
 * TransportException.Reason#PROXY_NO_ACCEPTABLE_AUTH}; {@link
 * TransportException.Reason#PROXY_AUTH_FAILED}; {@link TransportException.Reason#PROXY_BAD_REPLY}
 * (also for an unassigned reply code); {@link TransportException.Reason#PROXY_CLOSED}; {@link
 * TransportException.Reason#PROXY_TIMEOUT} or {@link TransportException.Reason#CONNECT_TIMEOUT};
 * {@link TransportException.Reason#UNRESOLVED_HOST} when a local resolution fails or a name cannot
 * be sent; and the inner transport's own failures. Thread-safe; resolution blocks in the resolver
 * (the JDK's by default) like the {@code tcp} transport's.
 */
public final class Socks5TransportProvider implements TransportProvider {
  /** The name this provider registers under. */
  public static final String NAME = TransportChain.SOCKS5;

  private static final Logger LOG = LoggerFactory.getLogger(Socks5TransportProvider.class);

  /** The provider; ServiceLoader calls this. */
  public Socks5TransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Opens the tunnel to the context's host and port.
   *
   * @throws IllegalArgumentException when the context has no inner transport, or its options no
   *     SOCKS5 proxy
   */
  @Override
  public Transport open(TransportContext context) throws MintException {
    ProxyOptions proxy = Tunnels.proxy(context, NAME, false);
    String target = ConnectHandshake.authority(context.host(), context.port());
    String what =
        "SOCKS5 CONNECT to "
            + target
            + " through "
            + ConnectHandshake.authority(proxy.host(), proxy.port());
    Socks5Handshake handshake;
    try {
      handshake = handshake(context, proxy, what);
    } catch (TransportException | RuntimeException e) {
      context.inner().orElseThrow().close();
      throw e;
    }
    return Tunnels.open(handshake, context, proxy, LOG);
  }

  private Socks5Handshake handshake(TransportContext context, ProxyOptions proxy, String what)
      throws TransportException {
    String host = context.host();
    InetAddress literal = Hosts.literal(host);
    if (literal != null) {
      return Socks5Handshake.forAddress(literal, context.port(), proxy.credentials(), what);
    }
    if (proxy.remoteDns()) {
      return Socks5Handshake.forName(host, context.port(), proxy.credentials(), what);
    }
    List<InetAddress> addresses;
    try {
      addresses = context.options().resolver().resolve(host, context.port());
    } catch (UnknownHostException e) {
      throw new TransportException(
          TransportException.Reason.UNRESOLVED_HOST,
          what + ": host '" + host + "' did not resolve here (remote DNS is off)",
          e);
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new TransportException(
          TransportException.Reason.UNRESOLVED_HOST,
          what + ": host '" + host + "' resolved to no address");
    }
    return Socks5Handshake.forAddress(addresses.get(0), context.port(), proxy.credentials(), what);
  }

  @Override
  public String toString() {
    return "Socks5TransportProvider[" + NAME + "]";
  }
}
