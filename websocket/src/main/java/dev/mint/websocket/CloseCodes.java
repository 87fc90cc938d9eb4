// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

/**
 * Close status codes (RFC 6455 §7.4.1, the IANA registry of §11.7) and which ones may appear in a
 * Close frame (§7.4.2).
 */
public final class CloseCodes {
  /** 1000: the purpose of the connection is fulfilled. */
  public static final int NORMAL = 1000;

  /** 1001: the endpoint is going away (server shutdown, page left). */
  public static final int GOING_AWAY = 1001;

  /** 1002: the peer broke the protocol (a frame rule of RFC 6455 §5). */
  public static final int PROTOCOL_ERROR = 1002;

  /** 1003: a kind of data the endpoint cannot accept. */
  public static final int UNSUPPORTED_DATA = 1003;

  /** 1005: reported, never sent: the Close frame carried no status code. */
  public static final int NO_STATUS = 1005;

  /** 1006: reported, never sent: the connection ended without a Close frame. */
  public static final int ABNORMAL = 1006;

  /** 1007: data inconsistent with its type (text that is not UTF-8). */
  public static final int INVALID_PAYLOAD = 1007;

  /** 1008: a message violates the endpoint's policy. */
  public static final int POLICY_VIOLATION = 1008;

  /** 1009: a frame or message is too big to process (a limit of {@link WebSocketOptions}). */
  public static final int TOO_BIG = 1009;

  /** 1010: the client expected the server to negotiate an extension it did not. */
  public static final int MANDATORY_EXTENSION = 1010;

  /** 1011: the server met an unexpected condition. */
  public static final int INTERNAL_ERROR = 1011;

  private CloseCodes() {}

  /**
   * Whether {@code code} may be carried by a Close frame (§7.4.1, §7.4.2): 1000-1003, 1007-1014
   * (1012-1014 registered by IANA since), and 3000-4999 (registered and private use). 1004, 1005,
   * 1006 and 1015 are reserved or report-only; below 1000 and 1016-2999 are not used; 5000 and up
   * do not exist.
   */
  public static boolean isValidOnWire(int code) {
    return code >= 1000 && code <= 1003
        || code >= 1007 && code <= 1014
        || code >= 3000 && code <= 4999;
  }
}
