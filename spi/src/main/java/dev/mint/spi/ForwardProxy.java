// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Headers;
import java.util.Objects;

/**
 * Tells an HTTP/1.1 engine that its requests go to a forwarding HTTP proxy rather than to the
 * origin (RFC 9112 §3.2.2): it sends origin-form targets in absolute-form ({@code GET
 * http://origin:port/path}), with {@code host} still naming the origin, and adds {@link #headers()}
 * to every request. The connector only sets it over cleartext HTTP/1.1; an HTTP/2 engine never
 * receives one.
 *
 * @param headers the fields for the proxy ({@link dev.mint.ProxyOptions#requestHeaders()}: the
 *     caller's proxy headers and {@code proxy-authorization}); a request's own field of the same
 *     name wins
 */
public record ForwardProxy(Headers headers) {
  /** Rejects null. */
  public ForwardProxy {
    Objects.requireNonNull(headers, "headers");
  }
}
