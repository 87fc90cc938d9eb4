// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * The HTTP/2 error codes (RFC 9113 §7), carried by RST_STREAM and GOAWAY and reported in {@link
 * dev.mint.HttpException#http2ErrorCode()}. Codes a peer sends that are not listed here are kept as
 * raw numbers; RFC 9113 §7 says unknown codes must not trigger special behaviour.
 */
enum ErrorCode {
  NO_ERROR(0x0),
  PROTOCOL_ERROR(0x1),
  INTERNAL_ERROR(0x2),
  FLOW_CONTROL_ERROR(0x3),
  SETTINGS_TIMEOUT(0x4),
  STREAM_CLOSED(0x5),
  FRAME_SIZE_ERROR(0x6),
  REFUSED_STREAM(0x7),
  CANCEL(0x8),
  COMPRESSION_ERROR(0x9),
  CONNECT_ERROR(0xa),
  ENHANCE_YOUR_CALM(0xb),
  INADEQUATE_SECURITY(0xc),
  HTTP_1_1_REQUIRED(0xd);

  private final long code;

  ErrorCode(long code) {
    this.code = code;
  }

  /** The 32-bit value on the wire. */
  long code() {
    return code;
  }

  /** The name of a code as received, or its hexadecimal value when it is not a known code. */
  static String describe(long code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c.name();
      }
    }
    return "0x" + Long.toHexString(code);
  }
}
