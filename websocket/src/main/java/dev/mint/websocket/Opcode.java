// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

/**
 * The frame opcodes of RFC 6455 §5.2 and §11.8. Opcodes 3-7 and 0xB-0xF are reserved: a frame
 * carrying one fails the connection with {@link CloseCodes#PROTOCOL_ERROR}.
 */
public enum Opcode {
  /** 0x0: a further fragment of the message in progress. */
  CONTINUATION(0x0),
  /** 0x1: the first frame of a text message (UTF-8). */
  TEXT(0x1),
  /** 0x2: the first frame of a binary message. */
  BINARY(0x2),
  /** 0x8: close (§5.5.1). */
  CLOSE(0x8),
  /** 0x9: ping (§5.5.2). */
  PING(0x9),
  /** 0xA: pong (§5.5.3). */
  PONG(0xA);

  private final int code;

  Opcode(int code) {
    this.code = code;
  }

  /** The 4-bit value on the wire. */
  public int code() {
    return code;
  }

  /** Whether this is a control opcode (§5.5: the high bit of the 4 is set). */
  public boolean isControl() {
    return (code & 0x8) != 0;
  }

  /** The opcode of the 4-bit value {@code code}, or {@code null} for a reserved value. */
  static Opcode of(int code) {
    return switch (code) {
      case 0x0 -> CONTINUATION;
      case 0x1 -> TEXT;
      case 0x2 -> BINARY;
      case 0x8 -> CLOSE;
      case 0x9 -> PING;
      case 0xA -> PONG;
      default -> null;
    };
  }
}
