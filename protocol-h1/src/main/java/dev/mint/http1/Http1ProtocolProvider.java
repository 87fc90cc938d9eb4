// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Protocol;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ProtocolEngine;
import dev.mint.spi.ProtocolProvider;

/**
 * Provides the HTTP/1.1 engine ({@link Http1Engine}) under the ALPN id {@code http/1.1} (RFC 7301).
 * Stateless and safe to share; found through {@link java.util.ServiceLoader}.
 */
public final class Http1ProtocolProvider implements ProtocolProvider {

  /** The provider; {@link java.util.ServiceLoader} calls this. */
  public Http1ProtocolProvider() {}

  @Override
  public String alpnId() {
    return Protocol.HTTP1.alpnId();
  }

  @Override
  public ProtocolEngine newEngine(EngineContext context) {
    return new Http1Engine(context);
  }
}
