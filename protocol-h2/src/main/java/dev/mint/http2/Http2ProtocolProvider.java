// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.spi.EngineContext;
import dev.mint.spi.ProtocolEngine;
import dev.mint.spi.ProtocolProvider;

/**
 * Provides the HTTP/2 engine (RFC 9113) under the ALPN id {@code h2}. Stateless and thread-safe.
 *
 * <p>The engine it creates implements {@link dev.mint.Http2Operations}, reached through {@link
 * dev.mint.HttpConnection#http2()}. Its settings and receive windows come from {@link
 * dev.mint.ConnectOptions#http2()}; its fixed limits are listed in {@link Http2Limits}. The errors
 * it reports are the {@link dev.mint.HttpException.Reason} constants whose Javadoc names HTTP/2,
 * with the fault and scope given there.
 */
public final class Http2ProtocolProvider implements ProtocolProvider {
  /** The ALPN protocol id of HTTP/2 over TLS (RFC 9113 §3.2); also used for prior knowledge. */
  public static final String ALPN_ID = "h2";

  /** A provider; the service loader calls this. */
  public Http2ProtocolProvider() {}

  @Override
  public String alpnId() {
    return ALPN_ID;
  }

  @Override
  public ProtocolEngine newEngine(EngineContext context) {
    return new Http2Engine(context);
  }
}
