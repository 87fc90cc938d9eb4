// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.Headers;
import dev.mint.MintException;
import dev.mint.ProxyOptions;
import dev.mint.TransportException;
import dev.mint.spi.FieldRules;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportChain;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http-connect} transport provider: a tunnel through an HTTP proxy (over TCP, or over
 * TLS to an HTTPS proxy), opened with {@code CONNECT host:port HTTP/1.1} (RFC 9110 §9.3.6) over the
 * context's inner transport.
 *
 * <p>It reads its settings from {@link TransportContext#options()}'s {@link ProxyOptions}: the
 * request carries {@code host} equal to the target, the {@link ProxyOptions#requestHeaders()}
 * ({@code proxy-authorization: Basic} from the credentials, the caller's proxy headers) and the
 * connection's {@code user-agent}; none of them reaches the origin. It waits for a 2xx at most
 * {@link ProxyOptions#tunnelTimeout()} (and never past the connect deadline), skipping interim
 * responses and reading at most {@link ProxyOptions#maxReplySize()} bytes of reply head. The
 * transport it returns reports the 2xx as {@link Transport#proxyResponse()} and returns first the
 * bytes read past it.
 *
 * <p>Errors, all {@link TransportException}; the inner transport is closed: {@link
 * TransportException.Reason#PROXY_AUTH_REQUIRED} (407), {@link
 * TransportException.Reason#PROXY_REFUSED} (another non-2xx), both carrying the reply; {@link
 * TransportException.Reason#PROXY_BAD_REPLY}; {@link TransportException.Reason#PROXY_CLOSED};
 * {@link TransportException.Reason#PROXY_TIMEOUT} when the tunnel timeout passes, or {@link
 * TransportException.Reason#CONNECT_TIMEOUT} when the connect deadline comes first; and the inner
 * transport's own failures. Stateless and thread-safe.
 */
public final class HttpConnectTransportProvider implements TransportProvider {
  /** The name this provider registers under. */
  public static final String NAME = TransportChain.HTTP_CONNECT;

  private static final Logger LOG = LoggerFactory.getLogger(HttpConnectTransportProvider.class);

  /** The provider; {@link java.util.ServiceLoader} calls this. */
  public HttpConnectTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Opens the tunnel to the context's host and port.
   *
   * @throws IllegalArgumentException when the context has no inner transport, or its options no
   *     HTTP or HTTPS proxy
   */
  @Override
  public Transport open(TransportContext context) throws MintException {
    ProxyOptions proxy = Tunnels.proxy(context, NAME, true);
    String where = "the " + (proxy.kind() == ProxyOptions.Kind.HTTPS ? "HTTPS" : "HTTP") + " proxy";
    ConnectHandshake handshake =
        new ConnectHandshake(
            context.host(),
            context.port(),
            fields(proxy, context.options().userAgent()),
            proxy.maxReplySize(),
            where + " " + ConnectHandshake.authority(proxy.host(), proxy.port()));
    return Tunnels.open(handshake, context, proxy, LOG);
  }

  /** The proxy's fields, then a {@code user-agent} unless they name one or it cannot be sent. */
  private static Headers fields(ProxyOptions proxy, String userAgent) {
    Headers fields = proxy.requestHeaders();
    if (userAgent == null || fields.contains("user-agent") || !FieldRules.isValidValue(userAgent)) {
      return fields;
    }
    return fields.with("user-agent", userAgent);
  }

  @Override
  public String toString() {
    return "HttpConnectTransportProvider[" + NAME + "]";
  }
}
