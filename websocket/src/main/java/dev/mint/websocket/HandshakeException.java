// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.util.List;
import java.util.Objects;

/**
 * The opening handshake failed: the server refused the WebSocket, answered with something RFC 6455
 * §4.1 (or RFC 8441 §5) does not allow, or the connection cannot carry a WebSocket. No WebSocket
 * was opened, so {@link #closeCode()} is {@link CloseCodes#ABNORMAL}; the connection is closed.
 *
 * <p>The response is kept as it came: {@link #status()} (0 when none arrived), {@link #headers()}
 * and, for a refusal, the first {@link WebSocketOptions#maxRejectionBodySize()} bytes of its {@link
 * #body()}.
 */
public final class HandshakeException extends WebSocketException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /**
     * The server refused: a status other than 101 over HTTP/1.1, other than 2xx over HTTP/2 (RFC
     * 8441 §5).
     */
    REJECTED,
    /**
     * A 101 whose {@code upgrade}, {@code connection} or {@code sec-websocket-accept} is wrong (RFC
     * 6455 §4.1, the client's steps 2-4).
     */
    INVALID_RESPONSE,
    /**
     * The server accepted an extension that was not offered, or permessage-deflate with parameters
     * that were not offered or cannot be honoured (RFC 6455 §4.1 step 5, RFC 7692 §7.1).
     */
    BAD_EXTENSION,
    /** The server chose a subprotocol that was not offered (RFC 6455 §4.1 step 6). */
    BAD_SUBPROTOCOL,
    /**
     * Over HTTP/2, the server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, so it cannot take
     * a WebSocket (RFC 8441 §3).
     */
    EXTENDED_CONNECT_DISABLED,
    /** The connection or stream ended, or the request failed, before the handshake completed. */
    CLOSED,
    /** The handshake did not complete within the time given. */
    TIMEOUT
  }

  private final Reason reason;
  private final int status;
  private final transient Headers headers;
  private final transient Bytes body;

  /**
   * A failed handshake.
   *
   * @param status the response's status, or 0 when none arrived
   */
  public HandshakeException(
      Reason reason, String message, int status, Headers headers, Bytes body, Throwable cause) {
    super(CloseCodes.ABNORMAL, message, List.of(), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }

  /** The response's status code, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** The response's header fields; empty when none arrived. */
  public Headers headers() {
    return headers;
  }

  /**
   * The response's body for {@link Reason#REJECTED}, at most {@link
   * WebSocketOptions#maxRejectionBodySize()} bytes of it; empty otherwise.
   */
  public Bytes body() {
    return body;
  }
}
