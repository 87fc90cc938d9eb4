// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.ProxyOptions;
import dev.mint.TransportException;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import org.slf4j.Logger;

/** What both tunnel providers do once their handshake is built. Stateless. */
final class Tunnels {
  private Tunnels() {}

  /**
   * The proxy settings of a tunnel layer's context, checked.
   *
   * @throws IllegalArgumentException when the context has no inner transport to layer on, or no
   *     proxy of a kind {@code provider} serves (the inner transport is then closed)
   */
  static ProxyOptions proxy(TransportContext context, String provider, boolean http) {
    Transport inner =
        context
            .inner()
            .orElseThrow(
                () -> new IllegalArgumentException(provider + " needs an inner transport"));
    ProxyOptions proxy = context.options().proxy().orElse(null);
    if (proxy == null || proxy.isHttp() != http) {
      inner.close();
      throw new IllegalArgumentException(
          provider
              + " needs "
              + (http ? "an HTTP or HTTPS" : "a SOCKS5")
              + " proxy in the options");
    }
    return proxy;
  }

  /**
   * Runs {@code handshake} over the context's inner transport within the proxy's tunnel timeout and
   * the connect deadline, and wraps the result; on any failure closes the inner transport.
   */
  static Transport open(
      Handshake handshake, TransportContext context, ProxyOptions proxy, Logger log)
      throws TransportException {
    Transport inner = context.inner().orElseThrow();
    HandshakeDriver.Limit limit =
        new HandshakeDriver.Limit(
            context.deadline(),
            context.options().connectTimeout(),
            proxy.tunnelTimeout(),
            handshake.toString());
    try {
      HandshakeDriver.Result result = HandshakeDriver.run(inner, handshake, limit);
      if (log.isDebugEnabled()) {
        log.debug(
            "{} open: {}{}",
            handshake,
            result.response(),
            result.surplus() == null ? "" : ", " + result.surplus().remaining() + " bytes ahead");
      }
      return new TunnelTransport(inner, result.response(), result.surplus());
    } catch (TransportException | RuntimeException e) {
      inner.close();
      throw e;
    }
  }
}
