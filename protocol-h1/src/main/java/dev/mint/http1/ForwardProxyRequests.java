// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Headers;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ForwardProxy;

/**
 * Rewrites requests for a forwarding HTTP proxy (RFC 9112 §3.2.2), before {@link RequestWriter}
 * validates and encodes them as it would any other: a client talking to a proxy sends the target
 * URI in absolute-form, so {@code /path?q} becomes {@code http://origin:port/path?q}, and {@code
 * OPTIONS *} becomes {@code OPTIONS http://origin:port} (RFC 9112 §3.2.4: the last proxy turns the
 * empty path back into {@code *}). The writer then takes {@code host} from that authority, so the
 * origin is still named. Targets in any other form pass unchanged: absolute-form is already what
 * the proxy needs, and the writer refuses what is malformed.
 *
 * <p>The proxy's fields ({@code proxy-authorization}, the caller's proxy headers) join every
 * request whose own fields do not name them. Immutable.
 */
final class ForwardProxyRequests {
  /** {@code scheme://authority}, without a zone id (RFC 6874 §4). */
  private final String origin;

  private final Headers proxyHeaders;

  ForwardProxyRequests(EngineContext context, ForwardProxy proxy) {
    this.origin = context.scheme().text() + "://" + RequestTarget.withoutZone(context.authority());
    this.proxyHeaders = proxy.headers();
  }

  /** The target as the proxy needs it. */
  String target(String method, String target) {
    if (target == null) {
      return null; // the writer reports it
    }
    if (target.startsWith("/")) {
      return origin + target;
    }
    if (target.equals("*") && "OPTIONS".equals(method)) {
      return origin;
    }
    return target;
  }

  /** The request's fields, then the proxy's fields it does not set itself. */
  Headers headers(Headers request) {
    Headers fields = request == null ? Headers.empty() : request;
    if (proxyHeaders.isEmpty()) {
      return fields;
    }
    Headers.Builder b = fields.toBuilder();
    for (int i = 0; i < proxyHeaders.size(); i++) {
      if (!fields.contains(proxyHeaders.name(i))) {
        b.add(proxyHeaders.name(i), proxyHeaders.value(i));
      }
    }
    return b.build();
  }
}
