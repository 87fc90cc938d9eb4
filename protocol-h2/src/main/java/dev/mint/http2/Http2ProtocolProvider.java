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
 * dev.mint.ConnectOptions#http2()}; its fixed limits are listed in {@link Http2Limits}. Errors it
 * reports, as {@link dev.mint.HttpException} reasons:
 *
 * <ul>
 *   <li>peer, connection (thrown; parts parsed before are kept): {@code HTTP2_CONNECTION_ERROR}
 *       ({@code http2ErrorCode} set, GOAWAY sent), {@code PREMATURE_CLOSE};
 *   <li>request scope, as a {@link dev.mint.ResponsePart.RequestError} part: {@code
 *       HTTP2_STREAM_ERROR} (peer; we reset the stream), {@code STREAM_RESET_BY_PEER} (peer; the
 *       server reset it), {@code TOO_MANY_INTERIM_RESPONSES} (peer), {@code HTTP2_GOAWAY} (peer,
 *       retry-safe), {@code CANCELLED} (caller, after {@code cancelRequest}), and {@code
 *       PREMATURE_CLOSE} (peer, connection scope) for each stream left open when the server closes
 *       after a GOAWAY;
 *   <li>caller, request (thrown; nothing sent): the caller errors listed on {@link
 *       dev.mint.HttpConnection#request}, plus {@code PEER_LIMIT_REACHED}, {@code
 *       HTTP2_FLOW_CONTROL_BLOCKED} and {@code OUTPUT_QUEUE_FULL}.
 * </ul>
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
