// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import java.io.IOException;
import java.util.List;

/**
 * The server broke the WebSocket protocol or passed one of our limits, or a WebSocket could not be
 * opened. Caller mistakes are not reported with this type: a value that cannot be sent is an {@link
 * IllegalArgumentException}, a call the state does not allow (sending after a Close) an {@link
 * IllegalStateException}.
 *
 * <ul>
 *   <li>{@link #closeCode()}: the RFC 6455 §7.4.1 status code that the connection is closed with:
 *       {@link CloseCodes#PROTOCOL_ERROR} for a frame rule, {@link CloseCodes#INVALID_PAYLOAD} for
 *       text that is not UTF-8, {@link CloseCodes#TOO_BIG} for a limit, {@link CloseCodes#ABNORMAL}
 *       when the connection ended without a Close frame; for a failed handshake ({@link
 *       HandshakeException}) {@link CloseCodes#ABNORMAL} too, as no WebSocket was ever open.
 *   <li>{@link #messagesBeforeFailure()}: the messages parsed before the failure, in order; handle
 *       them before the error.
 * </ul>
 *
 * When the peer broke the protocol, the codec has already queued a Close frame with {@link
 * #closeCode()} (RFC 6455 §7.1.7 "Fail the WebSocket Connection"); {@link WebSocket} writes it and
 * closes the connection before throwing.
 */
public class WebSocketException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int closeCode;
  private final transient List<Message> messagesBeforeFailure;

  /** An error with the code the connection closes with, and a message. */
  public WebSocketException(int closeCode, String message) {
    this(closeCode, message, List.of(), null);
  }

  /** An error carrying the messages parsed before it, and an optional cause. */
  public WebSocketException(
      int closeCode, String message, List<Message> messagesBeforeFailure, Throwable cause) {
    super(message, cause);
    this.closeCode = closeCode;
    this.messagesBeforeFailure = List.copyOf(messagesBeforeFailure);
  }

  /** The close status code (RFC 6455 §7.4.1) the connection is or was closed with. */
  public int closeCode() {
    return closeCode;
  }

  /** The messages parsed before the failure, in order; empty when there were none. */
  public List<Message> messagesBeforeFailure() {
    return messagesBeforeFailure;
  }

  /** A copy of this error carrying {@code messages} as the ones parsed before it. */
  WebSocketException withMessagesBeforeFailure(List<Message> messages) {
    if (messages.isEmpty()) {
      return this;
    }
    return new WebSocketException(closeCode, getMessage(), messages, getCause());
  }
}
